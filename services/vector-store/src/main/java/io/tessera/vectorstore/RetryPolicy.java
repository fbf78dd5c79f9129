package io.tessera.vectorstore;

import java.time.Duration;
import java.util.Objects;

/**
 * Exponential backoff with jitter for transient failures. An attempt stops being retried when either
 * {@code maxAttempts} or {@code maxElapsed} is reached, whichever comes first.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier,
                          Duration maxElapsed) {

    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(maxElapsed, "maxElapsed");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff");
        }
        if (multiplier < 1.0) {
            throw new IllegalArgumentException("multiplier must be >= 1, was " + multiplier);
        }
    }

    /** One attempt, no retry. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1.0, Duration.ZERO);
    }

    /** The store's default: rides out a Milvus Lite restart (a few seconds) but gives up within ~30 s. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(8, Duration.ofMillis(200), Duration.ofSeconds(5), 2.0, Duration.ofSeconds(30));
    }

    /** The backoff before attempt {@code attempt + 1} (attempt counts from 1), without jitter. */
    public Duration backoffAfter(int attempt) {
        double millis = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
        return Duration.ofMillis((long) Math.min(millis, maxBackoff.toMillis()));
    }
}
