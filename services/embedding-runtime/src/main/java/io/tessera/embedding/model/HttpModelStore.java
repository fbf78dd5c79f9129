package io.tessera.embedding.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.embedding.internal.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A read-only model store over http(s): {@code <base>/<name>/<version>/<file>} with the same layout as a
 * {@link LocalModelStore} (a static file server over a local store's root works), and
 * {@code <base>/<name>/index.json} listing versions. Only hosts on the allowlist are ever contacted, redirects are
 * not followed (they could lead elsewhere), and every downloaded file is checked against the manifest's sha256
 * before the version becomes visible in the local cache.
 */
public final class HttpModelStore implements ModelStore {
    private static final long MAX_FILE_BYTES = 4L << 30;

    private final URI base;
    private final LocalModelStore cache;
    private final HttpClient client;
    private final Duration requestTimeout;

    /**
     * @param base e.g. {@code http://127.0.0.1:8700/models/}; scheme http or https, host on the allowlist
     * @param allowedHosts host names or addresses (exact, case-insensitive) that may be contacted
     * @param cache where downloaded versions are kept and served from afterwards
     */
    public HttpModelStore(URI base, Set<String> allowedHosts, LocalModelStore cache, Duration requestTimeout) {
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
        this.cache = cache;
        this.requestTimeout = requestTimeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(requestTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(java.net.ProxySelector.of(null))
                .build();
    }

    @Override
    public ModelDirectory open(ModelRef ref) {
        if (cache.contains(ref)) {
            return cache.open(ref);
        }
        URI dir = base.resolve(ref.name() + "/" + ref.version() + "/");
        byte[] manifestBytes = get(dir.resolve(ModelManifest.FILE_NAME), ref);
        ModelManifest manifest;
        try {
            manifest = ModelManifest.fromJson(new String(manifestBytes, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException(dir + ModelManifest.FILE_NAME + " is not a valid manifest: " + e.getMessage(),
                    e);
        }
        if (!manifest.ref().equals(ref)) {
            throw new ModelLoadException(dir + " serves " + manifest.ref() + ", not " + ref);
        }
        Path staging;
        try {
            staging = Files.createTempDirectory(Files.createDirectories(cache.root()), ".download-");
        } catch (IOException e) {
            throw new ModelStoreException("cannot create a download directory in " + cache.root(), true, e);
        }
        try {
            for (Map.Entry<String, String> f : manifest.files().entrySet()) {
                Path dst = staging.resolve(f.getKey()).normalize();
                if (!dst.startsWith(staging)) {
                    throw new ModelLoadException(dir + ": file path " + f.getKey() + " leaves the model directory");
                }
                download(dir.resolve(f.getKey()), dst, f.getValue(), ref);
            }
            Files.write(staging.resolve(ModelManifest.FILE_NAME), manifestBytes);
            return cache.install(ModelDirectory.open(staging));
        } catch (IOException e) {
            throw new ModelStoreException("cannot store download of " + ref + " in " + staging + ": " + e.getMessage(),
                    true, e);
        } finally {
            try {
                LocalModelStore.deleteRecursively(staging);
            } catch (IOException ignored) {
                // A leftover staging directory is harmless: it is never read as a model.
            }
        }
    }

    @Override
    public List<Integer> versions(String modelName) {
        URI index = base.resolve(new ModelRef(modelName, 1).name() + "/" + LocalModelStore.INDEX_FILE);
        byte[] body;
        try {
            body = get(index, null);
        } catch (ModelStoreException e) {
            if (!e.isRetriable()) {
                return List.of();
            }
            throw e;
        }
        try {
            JsonNode versions = ModelManifest.json().readTree(body).path("versions");
            List<Integer> out = new ArrayList<>();
            versions.forEach(v -> out.add(v.asInt()));
            out.sort(null);
            return out;
        } catch (IOException e) {
            throw new ModelStoreException(index + " is not a valid index: " + e.getMessage(), false, e);
        }
    }

    @Override
    public String describe() {
        return "http model store at " + base + " (cache " + cache.root() + ")";
    }

    private HttpRequest request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(requestTimeout).GET().build();
    }

    private byte[] get(URI uri, ModelRef ref) {
        try {
            HttpResponse<byte[]> r = client.send(request(uri), HttpResponse.BodyHandlers.ofByteArray());
            checkStatus(uri, r.statusCode(), ref);
            return r.body();
        } catch (IOException e) {
            throw new ModelStoreException("model store unreachable at " + uri + ": " + e, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelStoreException("interrupted while fetching " + uri, true, e);
        }
    }

    private void download(URI uri, Path dst, String sha256, ModelRef ref) throws IOException {
        Files.createDirectories(dst.getParent());
        HttpResponse<InputStream> r;
        try {
            r = client.send(request(uri), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new ModelStoreException("model store unreachable at " + uri + ": " + e, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelStoreException("interrupted while fetching " + uri, true, e);
        }
        try (InputStream in = r.body()) {
            checkStatus(uri, r.statusCode(), ref);
            MessageDigest md = Sha256.digest();
            long total = 0;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(dst), md)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    total += n;
                    if (total > MAX_FILE_BYTES) {
                        throw new ModelLoadException(uri + " is larger than " + MAX_FILE_BYTES + " bytes");
                    }
                    out.write(buf, 0, n);
                }
            }
            String actual = HexFormat.of().formatHex(md.digest());
            if (!actual.equalsIgnoreCase(sha256)) {
                throw new ModelLoadException("downloaded " + uri + " has sha256 " + actual + ", the manifest says "
                        + sha256 + " (corrupt transfer or tampered store)");
            }
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
