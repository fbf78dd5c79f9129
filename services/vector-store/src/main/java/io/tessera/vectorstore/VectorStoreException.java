package io.tessera.vectorstore;

/**
 * Every failure of the vector store. Callers branch on {@link #isTransient()} only: transient failures (Milvus
 * unreachable, restarting, too slow, a collection released by a restart) are worth retrying with backoff and must
 * never dead-letter a record; permanent ones (bad input, schema mismatch, missing collection) will fail again.
 */
public abstract sealed class VectorStoreException extends RuntimeException
        permits TransientVectorStoreException, PermanentVectorStoreException {

    protected VectorStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public abstract boolean isTransient();
}
