package io.tessera.catalog.internal;

import io.tessera.catalog.RejectionReason;
import java.util.Objects;

/** Why one record was turned away: the code and an explanation a publisher can act on. */
public record Rejection(RejectionReason reason, String detail) {

    public Rejection {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }

    /** {@code CODE: detail}, the form of the FAILED event's error and the DLQ's reason header. */
    public String message() {
        return reason + ": " + detail;
    }
}
