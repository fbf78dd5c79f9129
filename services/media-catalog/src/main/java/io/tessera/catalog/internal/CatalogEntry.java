package io.tessera.catalog.internal;

import io.tessera.catalog.ItemStatus;
import io.tessera.events.IndexStatus;
import io.tessera.events.MediaIndexed;
import io.tessera.events.Modality;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the catalog knows about one mediaId: the accepted version's fingerprint (for dedup), its modality (for
 * routing tombstones), its tenant (who owns the mediaId) and its indexing status. The value of the status store;
 * stored as JSON, read leniently so that fields added later do not break a restore.
 *
 * @param mediaId the item
 * @param tenant the tenant it belongs to
 * @param modality its modality (where its tombstone goes)
 * @param status where it stands
 * @param live whether an accepted version is current: false after a delete, or when the catalog only ever saw
 *             rejected versions or indexing events; only a live entry owns its mediaId for its tenant
 * @param fingerprint the accepted version's {@link ContentFingerprint}; null unless live
 * @param occurredAt the accepted version's occurredAt; indexing events for older versions are stale
 * @param sourcePartition the media.arrived partition of the record that last changed the accepted version
 * @param sourceOffset its offset: reading that same record again (a replay after a crash) routes it again instead of
 *                     treating it as a duplicate, so a crash between the state write and the routed write loses nothing
 * @param modelName the model of the latest indexing event applied, null before one
 * @param modelVersion its version
 * @param collection the Milvus collection it wrote to
 * @param segments how many rows it wrote
 * @param error why the item failed, when status is FAILED
 * @param updatedAt when the status last changed (epoch millis)
 * @param versions the latest outcome per model version
 * @param lastRejection the latest update the catalog turned away while an accepted version stayed live
 */
public record CatalogEntry(String mediaId, String tenant, Modality modality, ItemStatus status, boolean live,
                           String fingerprint, long occurredAt, int sourcePartition, long sourceOffset,
                           String modelName, Integer modelVersion, String collection, Integer segments, String error,
                           long updatedAt, List<ModelOutcome> versions, LastRejection lastRejection) {

    /** How many model versions' outcomes an entry keeps (the newest). */
    public static final int MAX_VERSIONS = 8;

    public CatalogEntry {
        versions = versions == null ? List.of() : List.copyOf(versions);
    }

    /** The outcome of one model version. */
    public record ModelOutcome(String modelName, int modelVersion, String collection, ItemStatus status, int segments,
                               String error, long indexedAt) {
    }

    /** An update that was rejected while the previous accepted version stayed live. */
    public record LastRejection(String reason, String error, long at) {
    }

    /** A newly accepted version (new item, update or re-creation after a delete): PENDING, no indexing outcomes yet. */
    public static CatalogEntry accepted(String mediaId, String tenant, Modality modality, String fingerprint,
                                        long occurredAt, int partition, long offset, long now) {
        return new CatalogEntry(mediaId, tenant, modality, ItemStatus.PENDING, true, fingerprint, occurredAt, partition,
                offset, null, null, null, null, null, now, List.of(), null);
    }

    /** An item the catalog rejected and has no accepted version of. */
    public static CatalogEntry rejected(String mediaId, String tenant, Modality modality, long occurredAt,
                                        String error, long now) {
        return new CatalogEntry(mediaId, tenant, modality, ItemStatus.FAILED, false, null, occurredAt, -1, -1L,
                null, null, null, null, error, now, List.of(), null);
    }

    /** An item the catalog learns of from media.indexed only. */
    public static CatalogEntry fromIndexed(MediaIndexed event) {
        return new CatalogEntry(event.getMediaId(), event.getTenant(), event.getModality(), ItemStatus.DELETED, false,
                null, event.getArrivedAt().toEpochMilli(), -1, -1L, null, null, null, null, null, 0L, List.of(), null)
                .withIndexed(event);
    }

    /** This item deleted by the tombstone at {@code partition}/{@code offset}. */
    public CatalogEntry deleted(int partition, long offset, long now) {
        return new CatalogEntry(mediaId, tenant, modality, ItemStatus.DELETED, false, null, occurredAt, partition,
                offset, modelName, modelVersion, collection, segments, null, now, versions, null);
    }

    /** This live item with a rejected update noted (its status stays that of the accepted version). */
    public CatalogEntry withRejection(String reason, String error, long now) {
        return new CatalogEntry(mediaId, tenant, modality, status, live, fingerprint, occurredAt, sourcePartition,
                sourceOffset, modelName, modelVersion, collection, segments, this.error, updatedAt, versions,
                new LastRejection(reason, error, now));
    }

    /** This entry with an indexing outcome applied: it becomes the item's status and its model version's outcome. */
    public CatalogEntry withIndexed(MediaIndexed event) {
        ItemStatus newStatus = toItemStatus(event.getStatus());
        long indexedAt = event.getIndexedAt().toEpochMilli();
        List<ModelOutcome> outcomes = new ArrayList<>(versions);
        outcomes.removeIf(o -> o.modelName().equals(event.getModelName()) && o.modelVersion() == event.getModelVersion());
        outcomes.add(new ModelOutcome(event.getModelName(), event.getModelVersion(), event.getCollection(), newStatus,
                event.getSegments(), event.getError(), indexedAt));
        outcomes.sort(Comparator.comparingLong(ModelOutcome::indexedAt).reversed());
        if (outcomes.size() > MAX_VERSIONS) {
            outcomes = outcomes.subList(0, MAX_VERSIONS);
        }
        outcomes.sort(Comparator.comparing(ModelOutcome::modelName).thenComparingInt(ModelOutcome::modelVersion));
        return new CatalogEntry(mediaId, tenant, modality, newStatus, live, fingerprint, occurredAt, sourcePartition,
                sourceOffset, event.getModelName(), event.getModelVersion(), event.getCollection(), event.getSegments(),
                newStatus == ItemStatus.FAILED ? event.getError() : null, indexedAt, outcomes, lastRejection);
    }

    /** Whether the record at {@code partition}/{@code offset} is the one that last changed this entry. */
    public boolean changedBy(int partition, long offset) {
        return sourcePartition == partition && sourceOffset == offset;
    }

    static ItemStatus toItemStatus(IndexStatus status) {
        return switch (status) {
            case INDEXED -> ItemStatus.INDEXED;
            case FAILED -> ItemStatus.FAILED;
            case DELETED -> ItemStatus.DELETED;
            case UNKNOWN -> throw new IllegalArgumentException("IndexStatus UNKNOWN has no item status");
        };
    }
}
