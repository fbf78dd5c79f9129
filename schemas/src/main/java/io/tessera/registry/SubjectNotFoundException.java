package io.tessera.registry;

/** The subject has no versions (Confluent error_code 40401). */
public final class SubjectNotFoundException extends RegistryRequestException {

    public SubjectNotFoundException(int httpStatus, int errorCode, String message) {
        super(httpStatus, errorCode, message);
    }
}
