package io.tessera.objectstore;

import io.tessera.embedding.model.CachingModelStore;
import io.tessera.embedding.model.LocalModelStore;
import io.tessera.embedding.model.ModelStore;
import io.tessera.embedding.model.ModelStoreException;
import io.tessera.settings.ModelStoreSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The model store a service is configured with: its local directory alone (one machine, or a shared volume), or an
 * object store read through that directory as a checked cache ({@code tessera.model-store.uri = s3://bucket/prefix/}).
 */
public final class ModelStores {
    /** Per request; a large ONNX file streams within it on any sane link, and a dead store fails fast. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

    private ModelStores() {
    }

    /**
     * @param uri   the remote store, {@code s3://bucket/prefix/}; empty: the local directory is the store
     * @param local the local directory (the cache when a remote is given)
     */
    public static ModelStore open(Optional<URI> uri, S3Settings settings, Path local) {
        LocalModelStore dir = new LocalModelStore(local);
        if (uri.isEmpty()) {
            return dir;
        }
        String scheme = uri.get().getScheme() == null ? "" : uri.get().getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("s3")) {
            throw new ModelStoreException("tessera.model-store.uri " + uri.get() + " is not supported: give an"
                    + " s3://bucket/prefix/ URI, or leave it empty to use the local directory " + local, false);
        }
        return new CachingModelStore(new S3ModelFiles(uri.get(), settings, REQUEST_TIMEOUT), dir);
    }

    /** The store {@code tessera.model-store.*} describes, with {@code local} as the directory or cache. */
    public static ModelStore open(ModelStoreSettings config, Path local) {
        return open(config.uri(), S3Settings.of(config.s3()), local);
    }

    /** The local directory of a store: itself, or the cache of a remote one. */
    public static LocalModelStore localDirectory(ModelStore store) {
        if (store instanceof LocalModelStore local) {
            return local;
        }
        if (store instanceof CachingModelStore caching) {
            return caching.cache();
        }
        throw new IllegalArgumentException("no local directory behind " + store.describe());
    }

    /** Uploads a sealed version where the store keeps versions; a local store already holds it. */
    public static URI publish(ModelStore store, io.tessera.embedding.model.ModelDirectory dir) {
        if (store instanceof CachingModelStore caching && caching.remote() instanceof S3ModelFiles s3) {
            return s3.publish(dir);
        }
        return dir.root().toUri();
    }
}
