package io.tessera.catalog;

/**
 * Headers media-catalog adds to what it writes, on top of the DLQ provenance headers of
 * {@link io.tessera.serde.DeadLetterHeaders}.
 */
public final class CatalogHeaders {

    /** On dead letters: the {@link RejectionReason} name (or the poison pill's reason for NOT_AVRO records). */
    public static final String REASON_CODE = io.tessera.serde.DeadLetterHeaders.REASON_CODE;
    /**
     * On FAILED {@code MediaIndexed} events the catalog writes itself: the service name. The catalog applies those
     * events to its status store when it writes them and skips them when it reads them back from media.indexed.
     */
    public static final String ORIGIN = "tessera-origin";
    /**
     * On tombstones routed to media.&lt;modality&gt;: the item's tenant, so an indexer can emit its DELETED event
     * (a tombstone has no value to read it from).
     */
    public static final String TENANT = "tessera-tenant";
    /** On routed tombstones: the modality the item had, i.e. whose rows the indexer must delete. */
    public static final String MODALITY = "tessera-modality";

    private CatalogHeaders() {
    }
}
