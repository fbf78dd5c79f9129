package io.tessera.rollout;

import io.micrometer.core.instrument.MeterRegistry;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.RuntimeConfig;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.model.ModelManifest;
import io.tessera.embedding.model.ModelStore;
import io.tessera.embedding.model.ModelStoreException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Opens a promoted version: from its {@code file:} artifact URI when this process can see that directory (one
 * machine, or a volume the trainer writes to), else from the model store by name and version (an {@code s3:}
 * artifact is downloaded into the store's checked cache, see docs/architecture.md). Checks the announced SHA-256 (of
 * the manifest, which pins every other file) and dimension before anything is loaded.
 */
public final class StoreModelLoader implements ModelLoader {

    private final ModelStore store;
    private final RuntimeConfig runtimeConfig;
    private final MeterRegistry meters;

    public StoreModelLoader(ModelStore store, RuntimeConfig runtimeConfig, MeterRegistry meters) {
        this.store = Objects.requireNonNull(store, "store");
        this.runtimeConfig = Objects.requireNonNull(runtimeConfig, "runtimeConfig");
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    @Override
    public ModelDirectory open(PromotedVersion version) {
        ModelDirectory dir = null;
        Path local = localArtifact(version.artifactUri());
        if (local != null && Files.isRegularFile(local.resolve(ModelManifest.FILE_NAME))) {
            dir = ModelDirectory.open(local);
        }
        if (dir == null) {
            try {
                dir = store.open(version.ref());
            } catch (ModelStoreException e) {
                throw elsewhere(version, e);
            }
        }
        if (!dir.ref().equals(version.ref())) {
            throw new ArtifactMismatchException("the artifact of " + version + " at " + dir.root() + " holds "
                    + dir.ref());
        }
        if (version.sha256() != null && !version.sha256().isBlank()) {
            String actual = sha256(dir.root().resolve(ModelManifest.FILE_NAME));
            if (!actual.equalsIgnoreCase(version.sha256())) {
                throw new ArtifactMismatchException("the manifest of " + version + " at " + dir.root() + " has SHA-256 "
                        + actual + " but models.published announced " + version.sha256());
            }
        }
        if (version.dimension() > 0 && dir.manifest().dimension() != version.dimension()) {
            throw new ArtifactMismatchException(version + " was announced with dimension " + version.dimension()
                    + " but its manifest says " + dir.manifest().dimension());
        }
        return dir;
    }

    @Override
    public EmbeddingRuntime start(ModelDirectory directory) {
        return EmbeddingRuntime.start(directory, runtimeConfig, meters);
    }

    /**
     * A version this store does not have, published somewhere this service does not read from, will never appear:
     * say where it is and which setting points there, instead of retrying forever.
     */
    private ModelStoreException elsewhere(PromotedVersion version, ModelStoreException e) {
        String uri = version.artifactUri();
        if (e.isRetriable() || uri == null || uri.isBlank() || uri.startsWith("file:")) {
            return e;
        }
        java.util.Optional<URI> here = store.locationOf(version.ref());
        if (here.isPresent() && here.get().toString().equals(uri)) {
            return e;
        }
        return new ModelStoreException(version + " was published at " + uri + ", but this service reads models from "
                + store.describe() + ": point tessera.model-store.uri at the store the trainer publishes to ("
                + e.getMessage() + ")", false, e);
    }

    private static Path localArtifact(String uri) {
        if (uri == null || uri.isBlank()) {
            return null;
        }
        try {
            URI parsed = URI.create(uri);
            return "file".equalsIgnoreCase(parsed.getScheme()) ? Path.of(parsed) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new ModelStoreException("cannot read " + file + ": " + e.getMessage(), true, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
