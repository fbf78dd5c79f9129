package io.tessera.trainer.round;

import io.tessera.embedding.model.LocalModelStore;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.model.ModelManifest;
import io.tessera.embedding.model.ModelVersions;
import io.tessera.training.Orientation;
import io.tessera.training.Projection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a trained version into the model store: a copy of the parent's directory with only the projection
 * initializers rewritten ({@link ModelVersions#derive}), the training report added under {@code training/}, the
 * manifest re-sealed with the sha256 of every file, and installed atomically (a reader sees the whole version or
 * none of it).
 */
public final class ModelWriter {

    private ModelWriter() {
    }

    /** The parent's trainable projections, by initializer name, in training-math's form. */
    public static Map<String, Projection> projections(ModelDirectory dir) {
        Map<String, Projection> out = new LinkedHashMap<>();
        // ModelManifest.Projection layout: [outputDimension, inputDimension], y = x·Wᵀ (PyTorch's Linear).
        ModelVersions.projections(dir).forEach((name, w) -> out.put(name,
                Projection.fromRowMajor(w.values(), w.rows(), w.columns(), Orientation.OUT_BY_IN)));
        return out;
    }

    /**
     * @param staging a scratch folder on the same file system as the store (the version is assembled there)
     * @return the installed version
     */
    public static ModelDirectory write(LocalModelStore store, ModelDirectory parent, int version,
                                       Map<String, Projection> projections, TrainingReport report, Path staging) {
        Map<String, float[]> replacements = new LinkedHashMap<>();
        projections.forEach((name, p) -> replacements.put(name, p.toRowMajor(Orientation.OUT_BY_IN)));
        Path target = staging.resolve(parent.ref().name() + "-" + version + "-" + System.nanoTime());
        try {
            Files.createDirectories(staging);
            ModelDirectory derived = ModelVersions.derive(parent, version, replacements, target);
            report.writeTo(target);
            ModelDirectory sealed = ModelDirectory.seal(target, derived.manifest());
            return store.install(sealed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage " + parent.ref().name() + "/" + version + " in " + staging, e);
        } finally {
            deleteQuietly(target);
        }
    }

    /**
     * The {@code ModelVersion.sha256} of a version: the SHA-256 of its manifest file. The manifest lists the sha256 of
     * every other file of the directory, so this one hash pins the whole directory (a reader checks it, then
     * {@link ModelDirectory#open} checks every file against the manifest).
     */
    public static String artifactSha256(ModelDirectory dir) {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(dir.root().resolve(ModelManifest.FILE_NAME)),
                MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash the manifest of " + dir, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code ModelVersion.artifactUri} of a version: the {@code file:} URI of its directory in the store. */
    public static String artifactUri(ModelDirectory dir) {
        return dir.root().toUri().toString();
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Staging leftovers are harmless and removed at the next start.
                }
            });
        } catch (IOException ignored) {
            // Same.
        }
    }
}
