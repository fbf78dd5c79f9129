package io.tessera.rollout;

import io.tessera.events.Modality;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What one indexer process rolls out.
 *
 * @param modelName           the model whose promoted versions are followed (the indexer's model)
 * @param modality            the modality this process indexes (its backfill re-indexes only these catalog items)
 * @param modalities          the modalities that must each have caught up before the alias flips (every indexer
 *                            that is deployed; {@code tessera.rollout.modalities})
 * @param gracePeriod         how long after the flip the old collection is kept, read-only after the drain (queries
 *                            already running on it finish; search-api retries one whose collection vanished); then it
 *                            is dropped. At least {@code drainDelay}
 * @param drainDelay          how long after the flip new arrivals are still written to the old collection as well
 *                            (the only time an arrival costs two embeddings after the flip): long enough that every
 *                            reader which resolved the alias before the flip has looked it up again, see
 *                            {@link #requireDrainAboveReaderAliasCache}. Also how long a runtime or collection that
 *                            stopped being written is kept for writes already in flight. At most
 *                            {@link #MAX_DRAIN_DELAY}
 * @param backfillConcurrency items re-indexed concurrently by the backfill
 * @param tickInterval        how often the state is reconciled with Milvus (alias flips by other processes, drops)
 * @param retryBackoff        wait before retrying a failed step (model load, Milvus, Kafka)
 * @param instanceId          names this process in markers and logs
 * @param dropOldCollections  whether superseded collections are dropped at all
 */
public record RolloutConfig(String modelName, Modality modality, Set<Modality> modalities, Duration gracePeriod,
                            Duration drainDelay, int backfillConcurrency, Duration tickInterval,
                            Duration retryBackoff, String instanceId, boolean dropOldCollections) {

    public static final Set<Modality> ALL_MODALITIES =
            Set.copyOf(EnumSet.of(Modality.IMAGE, Modality.VIDEO, Modality.DOCUMENT, Modality.TEXT));

    /** After the flip an arrival is embedded twice for at most this long: a roll-out must not double steady work. */
    public static final Duration MAX_DRAIN_DELAY = Duration.ofMinutes(1);

    /**
     * The longest a reader may keep the alias lookup cached: search-api refuses a {@code tessera.search.alias-ttl}
     * above it ({@code LiveModel.MAX_ALIAS_TTL}, the same value; search-api does not depend on this module). A
     * deployed drain delay must exceed it, see {@link #requireDrainAboveReaderAliasCache}.
     */
    public static final Duration READER_ALIAS_CACHE_LIMIT = Duration.ofSeconds(10);

    public RolloutConfig {
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(modality, "modality");
        Objects.requireNonNull(modalities, "modalities");
        Objects.requireNonNull(gracePeriod, "gracePeriod");
        Objects.requireNonNull(drainDelay, "drainDelay");
        Objects.requireNonNull(tickInterval, "tickInterval");
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        Objects.requireNonNull(instanceId, "instanceId");
        if (modality == Modality.UNKNOWN) {
            throw new IllegalArgumentException("the indexer's modality must be IMAGE, VIDEO, DOCUMENT or TEXT");
        }
        if (modalities.isEmpty() || modalities.contains(Modality.UNKNOWN)) {
            throw new IllegalArgumentException("tessera.rollout.modalities must list some of IMAGE, VIDEO, DOCUMENT,"
                    + " TEXT, was " + modalities);
        }
        if (!modalities.contains(modality)) {
            throw new IllegalArgumentException("tessera.rollout.modalities " + modalities + " must include this"
                    + " indexer's own modality " + modality + ", or the alias could flip before it caught up");
        }
        if (gracePeriod.isNegative() || drainDelay.isNegative()) {
            throw new IllegalArgumentException("grace period and drain delay must not be negative");
        }
        if (drainDelay.compareTo(MAX_DRAIN_DELAY) > 0) {
            throw new IllegalArgumentException("the drain delay (tessera.rollout.drain-delay) must be at most "
                    + MAX_DRAIN_DELAY.toSeconds() + " s, was " + drainDelay + ": after the flip every arrival is"
                    + " embedded twice while it lasts");
        }
        if (gracePeriod.compareTo(drainDelay) < 0) {
            throw new IllegalArgumentException("the grace period (tessera.rollout.grace-period, " + gracePeriod
                    + ") must be at least the drain delay (" + drainDelay + "): the old collection is written until"
                    + " the drain ends and must not be dropped before");
        }
        if (tickInterval.isNegative() || tickInterval.isZero() || retryBackoff.isNegative() || retryBackoff.isZero()) {
            throw new IllegalArgumentException("tick interval and retry backoff must be positive");
        }
        if (backfillConcurrency < 1) {
            throw new IllegalArgumentException("backfill concurrency must be >= 1, was " + backfillConcurrency);
        }
        modalities = Set.copyOf(modalities);
    }

    /**
     * A deployment's drain delay must be longer than any reader's alias cache. Why that is enough: a reader that looked
     * the alias up before the flip (time F) uses the old collection only until F + its TTL; the drain starts when
     * this process flips or first sees the flip, never before F, so every arrival whose write completed before
     * F + TTL went to the old collection too. An arrival after the drain is written only to the new collection,
     * which every reader has resolved by then. (A process that sees the flip late only drains longer.)
     *
     * @throws IllegalArgumentException naming {@code tessera.rollout.drain-delay}
     */
    public static void requireDrainAboveReaderAliasCache(Duration drainDelay) {
        if (drainDelay.compareTo(READER_ALIAS_CACHE_LIMIT) <= 0) {
            throw new IllegalArgumentException("tessera.rollout.drain-delay must be longer than "
                    + READER_ALIAS_CACHE_LIMIT.toSeconds() + " s (the longest search-api caches the alias,"
                    + " tessera.search.alias-ttl), was " + drainDelay + ": a search-api still on the old collection"
                    + " would miss items indexed after the drain");
        }
    }

    /** Defaults: all four modalities, 10 min grace, 30 s drain, 64 concurrent items, 2 s ticks. */
    public static RolloutConfig defaults(String modelName, Modality modality) {
        return new RolloutConfig(modelName, modality, ALL_MODALITIES, Duration.ofMinutes(10), Duration.ofSeconds(30),
                64, Duration.ofSeconds(2), Duration.ofSeconds(2), defaultInstanceId(modality), true);
    }

    public RolloutConfig withModalities(Set<Modality> m) {
        return new RolloutConfig(modelName, modality, m, gracePeriod, drainDelay, backfillConcurrency, tickInterval,
                retryBackoff, instanceId, dropOldCollections);
    }

    public RolloutConfig withGracePeriod(Duration grace, Duration drain) {
        return new RolloutConfig(modelName, modality, modalities, grace, drain, backfillConcurrency, tickInterval,
                retryBackoff, instanceId, dropOldCollections);
    }

    public RolloutConfig withTiming(Duration tick, Duration retry) {
        return new RolloutConfig(modelName, modality, modalities, gracePeriod, drainDelay, backfillConcurrency, tick,
                retry, instanceId, dropOldCollections);
    }

    public RolloutConfig withBackfillConcurrency(int n) {
        return new RolloutConfig(modelName, modality, modalities, gracePeriod, drainDelay, n, tickInterval,
                retryBackoff, instanceId, dropOldCollections);
    }

    public RolloutConfig withInstanceId(String id) {
        return new RolloutConfig(modelName, modality, modalities, gracePeriod, drainDelay, backfillConcurrency,
                tickInterval, retryBackoff, id, dropOldCollections);
    }

    public RolloutConfig withDropOldCollections(boolean drop) {
        return new RolloutConfig(modelName, modality, modalities, gracePeriod, drainDelay, backfillConcurrency,
                tickInterval, retryBackoff, instanceId, drop);
    }

    private static String defaultInstanceId(Modality modality) {
        return modality.name().toLowerCase() + "-indexer@" + ProcessHandle.current().pid();
    }
}
