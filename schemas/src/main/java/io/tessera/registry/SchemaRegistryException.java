package io.tessera.registry;

/**
 * Base of every failure of a {@link SchemaRegistry}. Callers branch on the two kinds:
 * {@link RegistryUnavailableException} (transient, retry) and {@link RegistryRequestException} (refused, permanent).
 */
public abstract sealed class SchemaRegistryException extends RuntimeException
        permits RegistryUnavailableException, RegistryRequestException {

    protected SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
