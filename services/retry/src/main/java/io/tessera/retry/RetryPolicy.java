package io.tessera.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How Tessera waits between attempts, the same everywhere: exponential backoff (doubling from
 * {@code initialBackoff}, capped at {@code maxBackoff}) with ±{@value #JITTER_PERCENT} % jitter, so that several
 * clients do not hit a recovering server in step. The system's rule is that a transient fault is retried, never
 * dropped: {@link #unbounded} policies never give up on one; a policy is bounded ({@code maxAttempts},
 * {@code maxElapsed}) only where a caller hands the fault on to someone who retries it (the registry client and the
 * vector store retry one call a little, then report the outage to the pipeline, which waits it out).
 *
 * @param maxAttempts    attempts in all, the first included; {@link #UNBOUNDED} for no limit
 * @param initialBackoff the wait before the first retry
 * @param maxBackoff     the cap of the wait
 * @param maxElapsed     no retry starts later than this after the first attempt; {@link Duration#ZERO} for no limit
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxElapsed) {

    /** {@link #maxAttempts} of a policy that retries for as long as it takes. */
    public static final int UNBOUNDED = Integer.MAX_VALUE;

    /** The spread of the jitter around the exponential wait, in percent. */
    public static final int JITTER_PERCENT = 20;

    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(maxElapsed, "maxElapsed");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff, were " + initialBackoff
                    + " and " + maxBackoff);
        }
        if (maxElapsed.isNegative()) {
            throw new IllegalArgumentException("maxElapsed must be 0 (no limit) or more, was " + maxElapsed);
        }
    }

    /** Retries for as long as it takes (transient faults: the system never drops one). */
    public static RetryPolicy unbounded(Duration initialBackoff, Duration maxBackoff) {
        return new RetryPolicy(UNBOUNDED, initialBackoff, maxBackoff, Duration.ZERO);
    }

    /** At most {@code maxAttempts} attempts, none started later than {@code maxElapsed} after the first. */
    public static RetryPolicy bounded(int maxAttempts, Duration initialBackoff, Duration maxBackoff,
                                      Duration maxElapsed) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, maxElapsed);
    }

    /** One attempt, no retry. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    public boolean isUnbounded() {
        return maxAttempts == UNBOUNDED && maxElapsed.isZero();
    }

    /** The wait before retry number {@code retry} (1 for the first) without jitter: doubled each time, capped. */
    public Duration backoff(int retry) {
        long initial = initialBackoff.toMillis();
        long max = maxBackoff.toMillis();
        int doublings = Math.max(0, retry - 1);
        // Compare before shifting: the doubling never overflows, however long an outage lasts.
        long millis = doublings >= 62 || initial > (max >> Math.min(doublings, 62)) ? max : initial << doublings;
        return Duration.ofMillis(Math.min(millis, max));
    }

    /** {@link #backoff} with the jitter: uniformly within ±{@value #JITTER_PERCENT} %, never below 0. */
    public Duration jitteredBackoff(int retry) {
        long millis = backoff(retry).toMillis();
        long spread = millis * JITTER_PERCENT / 100;
        return Duration.ofMillis(millis - spread + ThreadLocalRandom.current().nextLong(2 * spread + 1));
    }
}
