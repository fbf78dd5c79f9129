package io.tessera.embedding;

/**
 * Base of every error the embedding runtime throws. {@link #isRetriable()} separates transient faults (an overloaded
 * batcher, a model store that is down) from permanent ones (bad input, a broken model), so callers can retry the
 * first and dead-letter the second.
 */
public class EmbeddingException extends RuntimeException {
    private final boolean retriable;

    public EmbeddingException(String message, boolean retriable) {
        super(message);
        this.retriable = retriable;
    }

    public EmbeddingException(String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
    }

    public boolean isRetriable() {
        return retriable;
    }
}
