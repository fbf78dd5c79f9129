package io.tessera.registry;

/**
 * The registry could not be reached, timed out or kept answering 5xx after the client's bounded retries.
 * Transient: services retry the operation later (with back-off) and never dead-letter a record because of it.
 */
public final class RegistryUnavailableException extends SchemaRegistryException {

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
