package io.tessera.vectorstore;

/** Milvus could not be reached or did not answer in time, also after the store's own retries: retry later. */
public final class TransientVectorStoreException extends VectorStoreException {

    public TransientVectorStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
