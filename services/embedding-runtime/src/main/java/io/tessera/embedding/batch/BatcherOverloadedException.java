package io.tessera.embedding.batch;

import io.tessera.embedding.EmbeddingException;

/** The batcher's queue stayed full for the whole submit timeout; retriable (back off, then try again). */
public final class BatcherOverloadedException extends EmbeddingException {
    public BatcherOverloadedException(String message) {
        super(message, true);
    }
}
