package io.tessera.media;

import java.util.Objects;

/** Content that can never be decoded as asked: send it to the DLQ with {@link #reason()}. */
public final class MediaRejectedException extends MediaException {

    private final RejectReason reason;

    public MediaRejectedException(RejectReason reason, String message) {
        this(reason, message, null);
    }

    public MediaRejectedException(RejectReason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public RejectReason reason() {
        return reason;
    }

    @Override
    public boolean retriable() {
        return false;
    }

    @Override
    public String reasonCode() {
        return reason.name();
    }
}
