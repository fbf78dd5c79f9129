package io.tessera.media;

/** Why a fetch failed in a way that may succeed later: retry with backoff, never dead-letter. */
public enum TransientReason {
    /** The allowlisted server answered 5xx, 408 or 429. */
    SERVER_ERROR,
    /** Connecting, waiting for the response or streaming the body took longer than the configured timeout. */
    TIMEOUT,
    /** The connection could not be made or broke (refused, reset, DNS failure). */
    CONNECTION_FAILED,
    /** Reading a local file failed with an I/O error other than "missing" or "denied". */
    IO_ERROR
}
