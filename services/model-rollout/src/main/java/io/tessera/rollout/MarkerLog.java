package io.tessera.rollout;

/**
 * Where completion markers are recorded ({@value RolloutTopics#MODELS_ROLLOUT} in Kafka). Markers recorded by any
 * process come back to every {@link Rollout} through {@link Rollout#marker}.
 */
@FunctionalInterface
public interface MarkerLog {

    /** Records the marker durably; throws when it could not (the roll-out retries). */
    void publish(RolloutMarker marker);
}
