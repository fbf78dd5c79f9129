package io.tessera.trainer;

import java.time.Instant;
import java.util.Map;

/**
 * What {@code GET /v1/training/status} returns.
 *
 * @param model       the model trained and its live (PROMOTED) version
 * @param pairs       the buffer
 * @param round       the round running now, or the idle state
 * @param lastRound   the last finished (or failed or skipped) round, if any
 */
public record TrainingStatus(Model model, Pairs pairs, Round round, LastRound lastRound) {

    public record Model(String name, int liveVersion, String artifactUri) {
    }

    /**
     * @param buffered          pairs stored (latest version of each pairId)
     * @param newSinceLastRound pairs new or changed since the last round
     * @param received          pairs received since start (including unchanged redeliveries)
     * @param deadLettered      pairs sent to the dead-letter topic since start
     */
    public record Pairs(int buffered, int newSinceLastRound, long received, long deadLettered) {
    }

    /**
     * @param state     IDLE, FEATURES, TRAINING, SOUPING, WRITING or PUBLISHING
     * @param progress  0..1 within the round (features 0–0.2, training 0.2–0.9, the rest after)
     * @param detail    what it is doing, in words
     */
    public record Round(String state, Integer version, String trigger, Instant startedAt, double progress,
                        String detail) {
        public static Round idle() {
            return new Round("IDLE", null, null, null, 0, null);
        }
    }

    /**
     * @param outcome PROMOTED, REJECTED, SKIPPED or FAILED
     */
    public record LastRound(Integer version, String outcome, String reason, Instant startedAt, Instant finishedAt,
                            Map<String, Long> phaseMillis, int trainPairs, int validationPairs,
                            Map<String, Double> metrics) {
    }
}
