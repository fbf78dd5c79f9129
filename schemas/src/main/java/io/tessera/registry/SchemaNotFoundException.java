package io.tessera.registry;

/** No such schema: an unknown id, or a schema that is not a version of the subject (Confluent error_code 40403). */
public final class SchemaNotFoundException extends RegistryRequestException {

    public SchemaNotFoundException(int httpStatus, int errorCode, String message) {
        super(httpStatus, errorCode, message);
    }
}
