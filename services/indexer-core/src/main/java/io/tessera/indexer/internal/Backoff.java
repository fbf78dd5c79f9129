package io.tessera.indexer.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with ±20 % jitter, so several indexers do not hit a recovering server in lockstep. */
public record Backoff(Duration initial, Duration max) {

    /** The wait after the {@code failures}-th consecutive failure (1-based). */
    public Duration after(int failures) {
        double base = initial.toMillis() * Math.pow(2, Math.min(30, Math.max(0, failures - 1)));
        long millis = (long) Math.min(base, max.toMillis());
        long jitter = millis / 5;
        return Duration.ofMillis(Math.max(1, millis - jitter + ThreadLocalRandom.current().nextLong(2 * jitter + 1)));
    }
}
