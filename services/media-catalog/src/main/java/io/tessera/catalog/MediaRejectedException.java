package io.tessera.catalog;

/**
 * A record media-catalog turned away: its class is the {@code dead-letter-exception-class-name} of validation
 * rejections, so DLQ readers can tell them from poison pills ({@link io.tessera.serde.PoisonPillException}).
 */
public final class MediaRejectedException extends RuntimeException {

    private final RejectionReason reason;

    public MediaRejectedException(RejectionReason reason, String detail) {
        super(reason + ": " + detail, null, false, false);
        this.reason = reason;
    }

    public RejectionReason reason() {
        return reason;
    }
}
