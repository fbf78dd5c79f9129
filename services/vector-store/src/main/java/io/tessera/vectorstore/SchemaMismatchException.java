package io.tessera.vectorstore;

/**
 * An existing collection does not have the layout or the model this code expects (another dimension, another
 * model version, fields missing): a configuration or deployment error that a person must resolve.
 */
public final class SchemaMismatchException extends PermanentVectorStoreException {

    public SchemaMismatchException(String message) {
        super(message, null);
    }
}
