package io.tessera.trainer.round;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * When a training round starts: after {@code afterNewPairs} new or changed pairs, or when {@code interval} has passed
 * since the last round ended and something new arrived meanwhile (retraining on identical data would only publish the
 * same model again). Never while a round runs: rounds are one at a time.
 *
 * @param afterNewPairs start once this many pairs are new since the last round; 0 disables the count trigger
 * @param interval      start when this long has passed since the last round; zero disables the schedule
 * @param minTrainPairs never start with fewer pairs in total than this (a round on three pairs teaches nothing)
 */
public record RoundTrigger(int afterNewPairs, Duration interval, int minTrainPairs) {

    public RoundTrigger {
        Objects.requireNonNull(interval, "interval");
        if (afterNewPairs < 0) {
            throw new IllegalArgumentException("tessera.trainer.round.after-new-pairs must be >= 0 (0 = off), got "
                    + afterNewPairs);
        }
        if (interval.isNegative()) {
            throw new IllegalArgumentException("tessera.trainer.round.interval must not be negative (0 = off), got "
                    + interval);
        }
        if (afterNewPairs == 0 && interval.isZero()) {
            throw new IllegalArgumentException("both round triggers are off: set tessera.trainer.round.after-new-pairs"
                    + " or tessera.trainer.round.interval (rounds can still be started by POST /v1/training/rounds)");
        }
        if (minTrainPairs < 1) {
            throw new IllegalArgumentException("tessera.trainer.round.min-pairs must be >= 1, got " + minTrainPairs);
        }
    }

    /**
     * @param now           the current time
     * @param newPairs      pairs new or changed since the last round
     * @param totalPairs    pairs buffered in all
     * @param lastRoundEnd  when the last round ended (or the service started, before any round)
     * @param roundRunning  whether a round is running
     * @return why a round should start now, or empty
     */
    public Optional<String> due(Instant now, int newPairs, int totalPairs, Instant lastRoundEnd, boolean roundRunning) {
        if (roundRunning || newPairs == 0 || totalPairs < minTrainPairs) {
            return Optional.empty();
        }
        if (afterNewPairs > 0 && newPairs >= afterNewPairs) {
            return Optional.of(newPairs + " new pairs (threshold " + afterNewPairs + ")");
        }
        if (!interval.isZero() && !now.isBefore(lastRoundEnd.plus(interval))) {
            return Optional.of("schedule (" + newPairs + " new pairs, every " + interval + ")");
        }
        return Optional.empty();
    }
}
