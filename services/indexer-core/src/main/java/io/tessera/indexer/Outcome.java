package io.tessera.indexer;

/**
 * How the pipeline finished with one record. Whatever the outcome, once it is reported the record's offset may be
 * committed: the vectors are written (and the event sent), or the record is in the DLQ, or the item is deleted.
 *
 * @param mediaId    the item, or null when the record could not even be read
 * @param segments   rows written per model version (0 unless INDEXED)
 * @param reasonCode why it was dead-lettered (DEAD_LETTERED only)
 */
public record Outcome(Status status, String mediaId, int segments, String reasonCode) {

    public enum Status {
        /** Vectors written and INDEXED sent, for every target model version. */
        INDEXED,
        /** Sent to the DLQ (and a FAILED event where the mediaId was known). */
        DEAD_LETTERED,
        /** A tombstone: the item's rows deleted and DELETED sent. */
        DELETED
    }

    static Outcome indexed(String mediaId, int segments) {
        return new Outcome(Status.INDEXED, mediaId, segments, null);
    }

    static Outcome deadLettered(String mediaId, String reasonCode) {
        return new Outcome(Status.DEAD_LETTERED, mediaId, 0, reasonCode);
    }

    static Outcome deleted(String mediaId) {
        return new Outcome(Status.DELETED, mediaId, 0, null);
    }
}
