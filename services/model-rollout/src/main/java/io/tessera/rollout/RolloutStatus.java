package io.tessera.rollout;

import io.tessera.events.Modality;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What {@code GET /v1/rollout/status} shows: the roll-out of this indexer process.
 *
 * @param liveVersion          the version behind the alias (what searches use)
 * @param targetVersion        the version being rolled out; null when none
 * @param writingTo            the collections new arrivals are written to, in order
 * @param completedModalities  modalities whose backfill into the target has caught up (markers seen)
 * @param backfill             this process's backfill; null when none ran for the target
 * @param pendingDrops         superseded collections and when they will be dropped
 * @param lastError            the last failed step, while it keeps failing; null otherwise
 */
public record RolloutStatus(String modelName, Modality modality, RolloutPhase phase, Integer liveVersion,
                            String liveCollection, Integer targetVersion, String targetCollection,
                            List<String> writingTo, Set<Modality> requiredModalities,
                            Set<Modality> completedModalities, Backfill backfill, List<PendingDrop> pendingDrops,
                            String lastError, Instant updatedAt) {

    /**
     * @param scanned      catalog records read so far
     * @param total        catalog records to read (upper bound on a compacted topic; grows while items arrive)
     * @param indexed      items of this modality re-indexed
     * @param rejected     items skipped as bad content or unreadable
     * @param deleted      tombstones applied
     * @param otherModality records of other modalities passed over
     * @param ratePerSecond catalog records read per second
     * @param etaSeconds   estimated seconds left; null until a rate is known
     * @param done         whether it has caught up
     */
    public record Backfill(long scanned, long total, long indexed, long rejected, long deleted, long otherModality,
                           double ratePerSecond, Long etaSeconds, Instant startedAt, boolean done) {
    }

    public record PendingDrop(String collection, Instant dropAt) {
    }
}
