package io.tessera.registry;

/** The registry does not accept the schema text (HTTP 422, Confluent error_code 42201). */
public final class InvalidSchemaException extends RegistryRequestException {

    public InvalidSchemaException(int httpStatus, int errorCode, String message) {
        super(httpStatus, errorCode, message);
    }
}
