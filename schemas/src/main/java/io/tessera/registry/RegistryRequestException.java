package io.tessera.registry;

/**
 * The registry answered and refused the request (HTTP 4xx). Retrying the same request gives the same answer.
 * Subtypes name the cases callers act on; others (401/403, malformed requests) are this type itself.
 */
public sealed class RegistryRequestException extends SchemaRegistryException
        permits SubjectNotFoundException, SchemaNotFoundException, VersionNotFoundException,
        IncompatibleSchemaException, InvalidSchemaException {

    private final int httpStatus;
    private final int errorCode;

    public RegistryRequestException(int httpStatus, int errorCode, String message) {
        super(message + " (HTTP " + httpStatus + ", error_code " + errorCode + ")", null);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /** The HTTP status the registry answered with. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The Confluent {@code error_code} of the answer (for example 40401), or the HTTP status when it had none. */
    public int errorCode() {
        return errorCode;
    }
}
