package io.tessera.vectorstore;

/** The input itself is wrong (blank id, wrong vector dimension, NaN, missing whole-item row): fix the data. */
public final class InvalidVectorDataException extends PermanentVectorStoreException {

    public InvalidVectorDataException(String message) {
        super(message, null);
    }

    public InvalidVectorDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
