package io.tessera.embedding.model;

import io.tessera.embedding.internal.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A remote model store read through a local cache: a version is downloaded once, every file checked against the
 * sha256 its manifest lists, and installed into the cache (a {@link LocalModelStore}, atomically) before anyone sees
 * it. Versions are immutable, so a cached version is served without asking the remote again: services keep opening
 * the versions they have while the remote store is down, and only a version they never had waits for it.
 */
public final class CachingModelStore implements ModelStore {
    private static final Logger LOG = LoggerFactory.getLogger(CachingModelStore.class);
    /** Far above any real model file, so that a runaway or hostile stream cannot fill the disk. */
    private static final long MAX_FILE_BYTES = 16L << 30;

    private final RemoteModelFiles remote;
    private final LocalModelStore cache;

    public CachingModelStore(RemoteModelFiles remote, LocalModelStore cache) {
        this.remote = remote;
        this.cache = cache;
    }

    /** The local directory that downloaded versions are kept in (bundled models may be installed there too). */
    public LocalModelStore cache() {
        return cache;
    }

    public RemoteModelFiles remote() {
        return remote;
    }

    @Override
    public ModelDirectory open(ModelRef ref) {
        if (cache.contains(ref)) {
            return cache.open(ref);
        }
        byte[] manifestBytes;
        try (InputStream in = remote.open(ref, ModelManifest.FILE_NAME)) {
            manifestBytes = in.readNBytes(64 << 20);
        } catch (IOException e) {
            throw new ModelStoreException("cannot read the manifest of " + ref + " from " + remote.describe() + ": "
                    + e.getMessage(), true, e);
        }
        ModelManifest manifest;
        try {
            manifest = ModelManifest.fromJson(new String(manifestBytes, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException(remote.locationOf(ref) + ModelManifest.FILE_NAME + " is not a valid manifest: "
                    + e.getMessage(), e);
        }
        if (!manifest.ref().equals(ref)) {
            throw new ModelLoadException(remote.locationOf(ref) + " holds " + manifest.ref() + ", not " + ref);
        }
        Path staging;
        try {
            staging = Files.createTempDirectory(Files.createDirectories(cache.root()), ".download-");
        } catch (IOException e) {
            throw new ModelStoreException("cannot create a download directory in " + cache.root(), true, e);
        }
        long started = System.nanoTime();
        try {
            for (Map.Entry<String, String> f : manifest.files().entrySet()) {
                Path dst = staging.resolve(f.getKey()).normalize();
                if (!dst.startsWith(staging)) {
                    throw new ModelLoadException(remote.locationOf(ref) + ": file path " + f.getKey()
                            + " leaves the model directory");
                }
                download(ref, f.getKey(), dst, f.getValue());
            }
            Files.write(staging.resolve(ModelManifest.FILE_NAME), manifestBytes);
            ModelDirectory installed = cache.install(ModelDirectory.open(staging));
            LOG.info("downloaded {} from {} into {} in {} ms ({} files, each checked"
                    + " against its sha256)", ref, remote.locationOf(ref), installed.root(),
                    (System.nanoTime() - started) / 1_000_000, manifest.files().size() + 1);
            return installed;
        } catch (IOException e) {
            throw new ModelStoreException("cannot store the download of " + ref + " in " + staging + ": "
                    + e.getMessage(), true, e);
        } finally {
            try {
                LocalModelStore.deleteRecursively(staging);
            } catch (IOException ignored) {
                // A leftover staging directory is harmless: it is never read as a model.
            }
        }
    }

    /**
     * The remote versions plus the cached ones. While the remote store cannot be reached the cached ones are
     * answered (with a warning) when there are any, so a service restarting during an outage still finds its model.
     */
    @Override
    public List<Integer> versions(String modelName) {
        TreeSet<Integer> all = new TreeSet<>(cache.versions(modelName));
        try {
            all.addAll(remote.versions(modelName));
        } catch (ModelStoreException e) {
            if (!e.isRetriable() || all.isEmpty()) {
                throw e;
            }
            LOG.warn("{} cannot be reached ({}); answering the versions of {} cached"
                    + " in {}: {}", remote.describe(), e.getMessage(), modelName, cache.root(), all);
        }
        return List.copyOf(all);
    }

    @Override
    public Optional<URI> locationOf(ModelRef ref) {
        return Optional.of(remote.locationOf(ref));
    }

    @Override
    public String describe() {
        return remote.describe() + " (cached in " + cache.root() + ")";
    }

    private void download(ModelRef ref, String file, Path dst, String sha256) throws IOException {
        Files.createDirectories(dst.getParent());
        MessageDigest md = Sha256.digest();
        long total = 0;
        try (InputStream in = remote.open(ref, file);
             OutputStream out = new DigestOutputStream(Files.newOutputStream(dst), md)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > MAX_FILE_BYTES) {
                    throw new ModelLoadException(remote.locationOf(ref) + file + " is larger than " + MAX_FILE_BYTES
                            + " bytes");
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // Reading the stream failed midway: the connection dropped. Retriable, nothing was installed.
            throw new ModelStoreException("download of " + remote.locationOf(ref) + file + " broke off: "
                    + e.getMessage(), true, e);
        }
        String actual = HexFormat.of().formatHex(md.digest());
        if (!actual.equalsIgnoreCase(sha256)) {
            throw new ModelLoadException("downloaded " + remote.locationOf(ref) + file + " has sha256 " + actual
                    + ", the manifest says " + sha256 + " (corrupt transfer or tampered store)");
        }
    }
}
