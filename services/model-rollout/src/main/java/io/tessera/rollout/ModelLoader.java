package io.tessera.rollout;

import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.model.ModelDirectory;

/** Opens and starts the model versions a roll-out needs. */
public interface ModelLoader {

    /**
     * The checked model directory of a version.
     *
     * @throws io.tessera.embedding.model.ModelStoreException retriable or not (unknown version, unreachable store)
     * @throws ArtifactMismatchException when the directory is not the one that was promoted
     */
    ModelDirectory open(PromotedVersion version);

    /** Loads and warms a runtime for the directory; the caller closes it. */
    EmbeddingRuntime start(ModelDirectory directory);

    /** A promoted artifact whose checksum, name, version or dimension differs from its announcement. */
    final class ArtifactMismatchException extends RuntimeException {
        public ArtifactMismatchException(String message) {
            super(message);
        }
    }
}
