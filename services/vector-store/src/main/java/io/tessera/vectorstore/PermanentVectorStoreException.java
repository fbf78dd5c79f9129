package io.tessera.vectorstore;

/** A failure that retrying will not fix. Subclasses name the common causes. */
public sealed class PermanentVectorStoreException extends VectorStoreException
        permits CollectionNotFoundException, SchemaMismatchException, InvalidVectorDataException {

    public PermanentVectorStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isTransient() {
        return false;
    }
}
