package io.tessera.media.internal;

import io.tessera.media.FetchConfig;
import io.tessera.media.FetchedContent;
import io.tessera.media.MediaException;
import io.tessera.media.MediaRejectedException;
import io.tessera.media.MediaSource;
import io.tessera.media.RejectReason;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/** Turns a {@link MediaSource} into checked bytes: limits, allowlists, declared size and sha256. Thread-safe. */
public final class ContentFetcher implements AutoCloseable {

    private final FetchConfig config;
    private final FileFetcher files;
    private final HttpFetcher http;
    private final S3Fetcher s3;

    public ContentFetcher(FetchConfig config) {
        this.config = config;
        this.files = new FileFetcher(config);
        this.http = new HttpFetcher(config);
        this.s3 = new S3Fetcher(config);
    }

    public FetchedContent fetch(MediaSource source) throws MediaException {
        return switch (source) {
            case MediaSource.Bytes b -> inline(b.bytes(), b.contentTypeHint(), "inline bytes");
            case MediaSource.Text t -> inline(t.text().getBytes(StandardCharsets.UTF_8),
                    Optional.of("text/plain; charset=utf-8"), "inline text");
            case MediaSource.Reference r -> reference(r);
        };
    }

    private FetchedContent inline(byte[] bytes, Optional<String> contentType, String origin)
            throws MediaRejectedException {
        if (bytes.length == 0) {
            throw new MediaRejectedException(RejectReason.EMPTY, origin + " are empty");
        }
        if (bytes.length > config.maxBytes()) {
            throw new MediaRejectedException(RejectReason.TOO_LARGE, origin + " have " + bytes.length
                    + " bytes, more than the limit of " + config.maxBytes() + "; publish a reference or raise maxBytes");
        }
        return new FetchedContent(bytes, Sha256.hex(bytes), contentType, origin);
    }

    private FetchedContent reference(MediaSource.Reference ref) throws MediaException {
        URI uri = ref.parsedUri();
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!config.allowedSchemes().contains(scheme)) {
            throw new MediaRejectedException(RejectReason.URI_NOT_ALLOWED, "scheme '" + scheme + "' of " + ref.uri()
                    + " is not allowed; allowed schemes: " + config.allowedSchemes());
        }
        if (ref.sha256().isPresent() && !Sha256.isHexSha256(ref.sha256().get())) {
            throw new MediaRejectedException(RejectReason.INVALID_REFERENCE,
                    "sha256 '" + ref.sha256().get() + "' of " + ref.uri() + " is not 64 hex digits");
        }
        if (ref.sizeBytes().isPresent() && ref.sizeBytes().getAsLong() > config.maxBytes()) {
            throw new MediaRejectedException(RejectReason.TOO_LARGE, ref.uri() + " declares "
                    + ref.sizeBytes().getAsLong() + " bytes, more than the limit of " + config.maxBytes());
        }
        FetchedContent content = switch (scheme) {
            case "file" -> files.fetch(uri);
            case "http", "https" -> http.fetch(uri);
            case "s3" -> s3.fetch(uri);
            default -> throw new MediaRejectedException(RejectReason.URI_NOT_ALLOWED,
                    "scheme '" + scheme + "' is not supported");
        };
        if (content.bytes().length == 0) {
            throw new MediaRejectedException(RejectReason.EMPTY, ref.uri() + " has no content");
        }
        if (ref.sizeBytes().isPresent() && ref.sizeBytes().getAsLong() != content.bytes().length) {
            throw new MediaRejectedException(RejectReason.SIZE_MISMATCH, ref.uri() + " declares "
                    + ref.sizeBytes().getAsLong() + " bytes but has " + content.bytes().length);
        }
        if (ref.sha256().isPresent() && !ref.sha256().get().equalsIgnoreCase(content.sha256())) {
            throw new MediaRejectedException(RejectReason.CHECKSUM_MISMATCH, ref.uri() + " has sha256 "
                    + content.sha256() + ", the reference declares " + ref.sha256().get().toLowerCase(Locale.ROOT)
                    + ": the content changed or the reference is wrong");
        }
        return content;
    }

    @Override
    public void close() {
        http.close();
        s3.close();
    }
}
