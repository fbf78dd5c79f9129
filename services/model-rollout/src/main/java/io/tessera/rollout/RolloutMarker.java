package io.tessera.rollout;

import io.tessera.events.Modality;
import java.time.Instant;
import java.util.Objects;

/**
 * "The backfill of {@code modality} into version {@code version} of {@code modelName} has caught up": one record
 * of {@value RolloutTopics#MODELS_ROLLOUT}, keyed {@link #key()}. Internal to the indexers.
 *
 * @param instance which process recorded it
 * @param scanned  catalog records read by that backfill
 * @param indexed  items of the modality re-indexed by it
 */
public record RolloutMarker(String modelName, int version, Modality modality, Instant completedAt, String instance,
                            long scanned, long indexed) {

    public RolloutMarker {
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(modality, "modality");
        Objects.requireNonNull(completedAt, "completedAt");
        Objects.requireNonNull(instance, "instance");
    }

    /** {@code <model>@<version>#<MODALITY>}: compaction keeps one marker per version and modality. */
    public String key() {
        return key(modelName, version, modality);
    }

    public static String key(String modelName, int version, Modality modality) {
        return modelName + "@" + version + "#" + modality.name();
    }
}
