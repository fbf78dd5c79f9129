package io.tessera.catalog;

/** Where an item stands, as {@code GET /v1/media/{mediaId}} reports it. */
public enum ItemStatus {
    /** Accepted and routed; no indexer has reported on this version yet. */
    PENDING,
    /** Indexed: its vectors are in Milvus (see the model version and segment count). */
    INDEXED,
    /** Rejected by the catalog or failed in an indexer; the error says why. */
    FAILED,
    /** Deleted by a tombstone; indexers remove its vectors. */
    DELETED
}
