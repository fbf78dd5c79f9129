package io.tessera.embedding.model;

import io.tessera.embedding.EmbeddingException;

/**
 * The model store could not deliver a model: unreachable (retriable), or the request itself is not allowed or the
 * model does not exist (not retriable).
 */
public final class ModelStoreException extends EmbeddingException {
    public ModelStoreException(String message, boolean retriable) {
        super(message, retriable);
    }

    public ModelStoreException(String message, boolean retriable, Throwable cause) {
        super(message, retriable, cause);
    }
}
