package io.tessera.media;

/**
 * A failure to fetch or decode media. Exactly two kinds exist, so that a caller can route on type alone:
 * {@link MediaRejectedException} (a poison pill: dead-letter it) and {@link TransientMediaException}
 * (retry it with backoff).
 */
public abstract sealed class MediaException extends Exception
        permits MediaRejectedException, TransientMediaException {

    MediaException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether the same request may succeed later. */
    public abstract boolean retriable();

    /** The reason code as a string, for DLQ headers, FAILED events and metric tags. */
    public abstract String reasonCode();
}
