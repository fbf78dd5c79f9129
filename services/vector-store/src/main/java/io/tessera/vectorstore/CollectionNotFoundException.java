package io.tessera.vectorstore;

/** The collection or alias does not exist (call {@link VectorStore#ensureCollection} first). */
public final class CollectionNotFoundException extends PermanentVectorStoreException {

    public CollectionNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
