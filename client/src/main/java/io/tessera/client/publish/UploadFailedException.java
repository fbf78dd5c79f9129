package io.tessera.client.publish;

/** A large file could not be put into the object store; nothing of that publish call was sent. */
public final class UploadFailedException extends RuntimeException {

    public UploadFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
