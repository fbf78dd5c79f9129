package io.tessera.embedding;

/** An input that can never be embedded (wrong size, empty, undecodable); retrying it is pointless. */
public final class InvalidInputException extends EmbeddingException {
    public InvalidInputException(String message) {
        super(message, false);
    }
}
