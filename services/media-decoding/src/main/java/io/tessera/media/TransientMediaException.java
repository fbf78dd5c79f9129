package io.tessera.media;

import java.util.Objects;

/** A fault outside the content (a server down, a timeout): retry with backoff, do not dead-letter. */
public final class TransientMediaException extends MediaException {

    private final TransientReason reason;

    public TransientMediaException(TransientReason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public TransientReason reason() {
        return reason;
    }

    @Override
    public boolean retriable() {
        return true;
    }

    @Override
    public String reasonCode() {
        return reason.name();
    }
}
