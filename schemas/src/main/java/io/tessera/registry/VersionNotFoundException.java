package io.tessera.registry;

/** The subject has no such version (Confluent error_code 40402). */
public final class VersionNotFoundException extends RegistryRequestException {

    public VersionNotFoundException(int httpStatus, int errorCode, String message) {
        super(httpStatus, errorCode, message);
    }
}
