package io.tessera.indexer.internal;

/**
 * A record the indexer can never index for a reason outside the media library's own checks (a wrong modality, a
 * tombstone without a key, an instruction too long for the model): dead-lettered with {@link #reasonCode()}.
 */
public final class ItemRejectedException extends RuntimeException {

    private final String reasonCode;

    public ItemRejectedException(String reasonCode, String message) {
        this(reasonCode, message, null);
    }

    public ItemRejectedException(String reasonCode, String message, Throwable cause) {
        super(reasonCode + ": " + message, cause);
        this.reasonCode = reasonCode;
    }

    public String reasonCode() {
        return reasonCode;
    }
}
