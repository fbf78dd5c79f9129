package io.tessera.embedding.model;

import io.tessera.embedding.EmbeddingException;

/**
 * A model directory that cannot be used: a missing file, a checksum mismatch, a manifest that names something the
 * graph lacks, a corrupt graph. Not retriable: the same bytes fail the same way. The message names the directory,
 * the file and the problem.
 */
public final class ModelLoadException extends EmbeddingException {
    public ModelLoadException(String message) {
        super(message, false);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, false, cause);
    }
}
