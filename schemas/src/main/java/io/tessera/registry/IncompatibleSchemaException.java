package io.tessera.registry;

/** The subject's compatibility rule rejects the schema (HTTP 409). */
public final class IncompatibleSchemaException extends RegistryRequestException {

    public IncompatibleSchemaException(int httpStatus, int errorCode, String message) {
        super(httpStatus, errorCode, message);
    }
}
