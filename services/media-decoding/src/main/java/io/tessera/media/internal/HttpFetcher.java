package io.tessera.media.internal;

import io.tessera.media.FetchConfig;
import io.tessera.media.FetchedContent;
import io.tessera.media.MediaException;
import io.tessera.media.MediaRejectedException;
import io.tessera.media.RejectReason;
import io.tessera.media.TransientMediaException;
import io.tessera.media.TransientReason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code http(s):} references to allowlisted hosts. Redirects are followed by hand so that every hop passes the
 * allowlist; the body is streamed into a buffer that refuses to grow past the byte limit, and the whole fetch
 * (every hop, headers and body) runs under one deadline, after which the exchange is cancelled.
 */
final class HttpFetcher implements AutoCloseable {

    private final FetchConfig config;
    private final HttpClient client;

    HttpFetcher(FetchConfig config) {
        this.config = config;
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY) // a system proxy would make the host allowlist meaningless
                .connectTimeout(config.connectTimeout())
                .build();
    }

    FetchedContent fetch(URI start) throws MediaException {
        long deadline = System.nanoTime() + config.requestTimeout().toNanos();
        URI uri = start;
        for (int hop = 0; ; hop++) {
            checkAllowed(uri, start);
            HttpResponse<byte[]> response = send(uri, deadline);
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                byte[] body = response.body();
                String type = response.headers().firstValue("Content-Type").orElse(null);
                return new FetchedContent(body, Sha256.hex(body), java.util.Optional.ofNullable(type), uri.toString());
            }
            if (isRedirect(status)) {
                String location = response.headers().firstValue("Location").orElse(null);
                if (location == null) {
                    throw new MediaRejectedException(RejectReason.HTTP_STATUS, uri + " answered " + status
                            + " without a Location header");
                }
                if (hop >= config.maxRedirects()) {
                    throw new MediaRejectedException(RejectReason.HTTP_STATUS, start + " redirected more than "
                            + config.maxRedirects() + " times (last to " + location + ")");
                }
                try {
                    uri = uri.resolve(location);
                } catch (IllegalArgumentException e) {
                    throw new MediaRejectedException(RejectReason.HTTP_STATUS, uri + " redirected to an invalid URI '"
                            + location + "'", e);
                }
                continue;
            }
            throw statusError(uri, status);
        }
    }

    private void checkAllowed(URI uri, URI start) throws MediaRejectedException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String via = uri.equals(start) ? "" : " (redirected from " + start + ")";
        if (!scheme.equals("http") && !scheme.equals("https") || !config.allowedSchemes().contains(scheme)) {
            throw new MediaRejectedException(RejectReason.URI_NOT_ALLOWED, "scheme of " + uri + via
                    + " is not allowed; allowed schemes: " + config.allowedSchemes());
        }
        if (uri.getRawUserInfo() != null) {
            throw new MediaRejectedException(RejectReason.URI_NOT_ALLOWED, "credentials in " + start
                    + " are not allowed");
        }
        String host = uri.getHost();
        if (host == null) {
            throw new MediaRejectedException(RejectReason.INVALID_REFERENCE, uri + via + " has no host");
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        if (!config.allowedHosts().contains(host) && !config.allowedHosts().contains(host + ":" + port)) {
            throw new MediaRejectedException(RejectReason.URI_NOT_ALLOWED, "host " + host + ":" + port + " of " + uri
                    + via + " is not on the allowlist " + config.allowedHosts());
        }
    }

    private HttpResponse<byte[]> send(URI uri, long deadline) throws MediaException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw timeout(uri, null);
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(java.time.Duration.ofNanos(remaining))
                .header("Accept-Encoding", "identity")
                .GET()
                .build();
        CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request, this::bodyFor);
        try {
            return future.get(remaining, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true); // aborts the exchange: a slow body is not read any further
            throw timeout(uri, e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new TransientMediaException(TransientReason.CONNECTION_FAILED, "interrupted fetching " + uri, e);
        } catch (ExecutionException e) {
            throw mapFailure(uri, e.getCause());
        }
    }

    private HttpResponse.BodySubscriber<byte[]> bodyFor(HttpResponse.ResponseInfo info) {
        if (info.statusCode() < 200 || info.statusCode() >= 300) {
            return new Discard(); // error pages and redirects carry nothing we need
        }
        OptionalLong declared = info.headers().firstValueAsLong("Content-Length");
        if (declared.isPresent() && declared.getAsLong() > config.maxBytes()) {
            return new Bounded(config.maxBytes(), declared.getAsLong());
        }
        return new Bounded(config.maxBytes(), -1);
    }

    private MediaException mapFailure(URI uri, Throwable cause) {
        if (cause instanceof TooLarge tooLarge) {
            return new MediaRejectedException(RejectReason.TOO_LARGE, uri + (tooLarge.declared >= 0
                    ? " declares Content-Length " + tooLarge.declared : " sent more bytes")
                    + " than the limit of " + config.maxBytes());
        }
        if (cause instanceof HttpConnectTimeoutException || cause instanceof HttpTimeoutException) {
            return timeout(uri, cause);
        }
        if (cause instanceof ConnectException) {
            return new TransientMediaException(TransientReason.CONNECTION_FAILED, "cannot connect to " + uri + ": "
                    + cause.getMessage(), cause);
        }
        if (cause instanceof IOException) {
            return new TransientMediaException(TransientReason.CONNECTION_FAILED, "fetching " + uri + " failed: "
                    + cause, cause);
        }
        return new TransientMediaException(TransientReason.CONNECTION_FAILED, "fetching " + uri + " failed: "
                + cause, cause);
    }

    private TransientMediaException timeout(URI uri, Throwable cause) {
        return new TransientMediaException(TransientReason.TIMEOUT, "fetching " + uri + " took longer than "
                + config.requestTimeout().toMillis() + " ms (connect timeout " + config.connectTimeout().toMillis()
                + " ms)", cause);
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static MediaException statusError(URI uri, int status) {
        if (status == 404 || status == 410) {
            return new MediaRejectedException(RejectReason.NOT_FOUND, uri + " answered " + status);
        }
        if (status == 401 || status == 403) {
            return new MediaRejectedException(RejectReason.ACCESS_DENIED, uri + " answered " + status
                    + "; the fetcher sends no credentials");
        }
        if (status == 408 || status == 425 || status == 429 || status >= 500) {
            return new TransientMediaException(TransientReason.SERVER_ERROR, uri + " answered " + status, null);
        }
        return new MediaRejectedException(RejectReason.HTTP_STATUS, uri + " answered " + status);
    }

    @Override
    public void close() {
        client.close();
    }

    /** Failure marker carried through the body future. */
    private static final class TooLarge extends IOException {
        final long declared;

        TooLarge(long declared) {
            super("body larger than the limit");
            this.declared = declared;
        }
    }

    /** Collects the body, cancelling the exchange as soon as it passes the limit. */
    private static final class Bounded implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final long limit;
        private final long declaredTooLarge;
        private Flow.Subscription subscription;
        private byte[] buffer = new byte[8192];
        private int size;

        Bounded(long limit, long declaredTooLarge) {
            this.limit = limit;
            this.declaredTooLarge = declaredTooLarge;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (declaredTooLarge >= 0) {
                s.cancel(); // Content-Length already says no: read none of it
                result.completeExceptionally(new TooLarge(declaredTooLarge));
                return;
            }
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer b : items) {
                int n = b.remaining();
                if ((long) size + n > limit) {
                    subscription.cancel();
                    result.completeExceptionally(new TooLarge(-1));
                    return;
                }
                if (size + n > buffer.length) {
                    buffer = java.util.Arrays.copyOf(buffer, (int) Math.min(limit,
                            Math.max((long) buffer.length * 2, (long) size + n)));
                }
                b.get(buffer, size, n);
                size += n;
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(java.util.Arrays.copyOf(buffer, size));
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }
    }

    private static final class Discard implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();

        @Override
        public void onSubscribe(Flow.Subscription s) {
            s.cancel();
            result.complete(new byte[0]);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
        }

        @Override
        public void onError(Throwable t) {
            result.complete(new byte[0]);
        }

        @Override
        public void onComplete() {
            result.complete(new byte[0]);
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }
    }
}
