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
 * @param gracePeriod         how long after the flip the old collection keeps being written and is kept (readers
 *                            that cached the alias, e.g. search-api, still find everything); then it is dropped
 * @param drainDelay          after the old collection stops being written, how long to wait for writes already in
 *                            flight before dropping it
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
        if (tickInterval.isNegative() || tickInterval.isZero() || retryBackoff.isNegative() || retryBackoff.isZero()) {
            throw new IllegalArgumentException("tick interval and retry backoff must be positive");
        }
        if (backfillConcurrency < 1) {
            throw new IllegalArgumentException("backfill concurrency must be >= 1, was " + backfillConcurrency);
        }
        modalities = Set.copyOf(modalities);
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
