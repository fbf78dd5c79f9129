package io.tessera.rollout;

/**
 * Topic names of the roll-out. {@value #MODELS_ROLLOUT} is internal to the indexers (not a public contract): a
 * compacted topic of completion markers, keyed {@code <model>@<version>#<MODALITY>}, with a small JSON value.
 */
public final class RolloutTopics {

    /** Compacted; one marker per model version and modality whose backfill has caught up. */
    public static final String MODELS_ROLLOUT = "models.rollout";

    private RolloutTopics() {
    }
}
