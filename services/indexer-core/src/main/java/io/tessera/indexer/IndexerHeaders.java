package io.tessera.indexer;

/**
 * Header names the indexers read or add, beyond the provenance headers of
 * {@link io.tessera.serde.DeadLetterHeaders}. The values match media-catalog's {@code CatalogHeaders}, so a dead
 * letter looks the same whichever service wrote it and a routed tombstone tells the indexer its tenant.
 */
public final class IndexerHeaders {

    /** On dead letters: the machine-readable reason code (a RejectReason, a poison pill reason, ...). */
    public static final String REASON_CODE = io.tessera.serde.DeadLetterHeaders.REASON_CODE;
    /** On routed tombstones: the item's tenant (a tombstone has no value to read it from). */
    public static final String TENANT = "tessera-tenant";

    private IndexerHeaders() {
    }
}
