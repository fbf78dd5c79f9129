package io.tessera.embedding.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Model files over http(s), read-only: {@code <base>/<name>/<version>/<file>} with the same layout as a
 * {@link LocalModelStore} (a static file server over a local store's root works), and
 * {@code <base>/<name>/index.json} listing versions. Only hosts on the allowlist are ever contacted and redirects are
 * not followed (they could lead elsewhere). Read it through a {@link CachingModelStore}, which checks every file.
 */
public final class HttpModelFiles implements RemoteModelFiles {

    private final URI base;
    private final HttpClient client;
    private final Duration requestTimeout;

    /**
     * @param base e.g. {@code http://127.0.0.1:8700/models/}; scheme http or https, host on the allowlist
     * @param allowedHosts host names or addresses (exact, case-insensitive) that may be contacted
     */
    public HttpModelFiles(URI base, Set<String> allowedHosts, Duration requestTimeout) {
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ModelStoreException("model store URI " + base + " must use http or https", false);
        }
        Set<String> allowed = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        String host = base.getHost() == null ? "" : base.getHost().toLowerCase(Locale.ROOT);
        if (!allowed.contains(host)) {
            throw new ModelStoreException("model store host '" + host + "' of " + base
                    + " is not on the allowlist " + allowed + " (add it to the configured model store hosts)", false);
        }
        if (base.getUserInfo() != null || base.getQuery() != null || base.getFragment() != null) {
            throw new ModelStoreException("model store URI " + base + " must not carry user info, query or fragment",
                    false);
        }
        this.base = base.getPath() != null && base.getPath().endsWith("/") ? base : URI.create(base + "/");
        this.requestTimeout = requestTimeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(requestTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(java.net.ProxySelector.of(null))
                .build();
    }

    @Override
    public InputStream open(ModelRef ref, String file) {
        URI uri = locationOf(ref).resolve(file);
        HttpResponse<InputStream> r = send(uri);
        try {
            checkStatus(uri, r.statusCode(), ref);
        } catch (ModelStoreException e) {
            try {
                r.body().close();
            } catch (IOException ignored) {
                // The status already says what went wrong.
            }
            throw e;
        }
        return r.body();
    }

    @Override
    public List<Integer> versions(String modelName) {
        URI index = base.resolve(new ModelRef(modelName, 1).name() + "/" + LocalModelStore.INDEX_FILE);
        HttpResponse<InputStream> r = send(index);
        try (InputStream body = r.body()) {
            if (r.statusCode() == 404) {
                return List.of();
            }
            checkStatus(index, r.statusCode(), null);
            JsonNode versions = ModelManifest.json().readTree(body).path("versions");
            List<Integer> out = new ArrayList<>();
            versions.forEach(v -> out.add(v.asInt()));
            out.sort(null);
            return out;
        } catch (IOException e) {
            throw new ModelStoreException(index + " cannot be read as an index: " + e.getMessage(), true, e);
        }
    }

    @Override
    public URI locationOf(ModelRef ref) {
        return base.resolve(ref.name() + "/" + ref.version() + "/");
    }

    @Override
    public String describe() {
        return "http model store at " + base;
    }

    private HttpResponse<InputStream> send(URI uri) {
        try {
            return client.send(HttpRequest.newBuilder(uri).timeout(requestTimeout).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new ModelStoreException("model store unreachable at " + uri + ": " + e, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelStoreException("interrupted while fetching " + uri, true, e);
        }
    }

    private static void checkStatus(URI uri, int status, ModelRef ref) {
        if (status == 200) {
            return;
        }
        boolean retriable = status >= 500 || status == 429 || status == 408;
        String what = status == 404 && ref != null ? "model " + ref + " not found: " : "";
        throw new ModelStoreException(what + "GET " + uri + " answered HTTP " + status, retriable);
    }
}
