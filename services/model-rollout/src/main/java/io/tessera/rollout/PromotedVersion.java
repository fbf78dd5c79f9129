package io.tessera.rollout;

import io.tessera.embedding.model.ModelRef;
import io.tessera.events.ModelStatus;
import io.tessera.events.ModelVersion;
import java.util.Objects;

/**
 * A model version the indexers should serve, and where its model directory is.
 *
 * @param artifactUri the {@code ModelVersion.artifactUri} ({@code file:} URI of the directory), or null when the
 *                    version is only known by name and number (then it is opened from the model store)
 * @param sha256      the SHA-256 of the directory's manifest, checked before loading; null when unknown
 * @param dimension   the vector length announced with it; 0 when unknown
 */
public record PromotedVersion(String modelName, int version, String artifactUri, String sha256, int dimension) {

    public PromotedVersion {
        Objects.requireNonNull(modelName, "modelName");
        if (version < 1) {
            throw new IllegalArgumentException("model version must be >= 1, was " + version);
        }
    }

    /** A PROMOTED {@link ModelVersion} event. */
    public static PromotedVersion of(ModelVersion event) {
        if (event.getStatus() != ModelStatus.PROMOTED) {
            throw new IllegalArgumentException(event.getModelName() + "/" + event.getVersion() + " is "
                    + event.getStatus() + ", not PROMOTED");
        }
        return new PromotedVersion(event.getModelName(), event.getVersion(), event.getArtifactUri(),
                event.getSha256(), event.getDimension());
    }

    /** A version known only by name and number (configured, or the parent of a later version). */
    public static PromotedVersion inStore(String modelName, int version) {
        return new PromotedVersion(modelName, version, null, null, 0);
    }

    public ModelRef ref() {
        return new ModelRef(modelName, version);
    }

    @Override
    public String toString() {
        return modelName + "/" + version;
    }
}
