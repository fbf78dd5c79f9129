package io.tessera.registry.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential back-off with "equal jitter": half the delay fixed, half random, so clients do not retry in step. */
public final class Backoff {

    private final long initialMillis;
    private final long maxMillis;

    public Backoff(Duration initial, Duration max) {
        this.initialMillis = initial.toMillis();
        this.maxMillis = Math.max(initialMillis, max.toMillis());
    }

    /** The wait before retry number {@code retry} (0 for the first retry), never more than the maximum. */
    public long delayMillis(int retry) {
        long ceiling = initialMillis << Math.min(retry, 30);
        if (ceiling <= 0 || ceiling > maxMillis) {
            ceiling = maxMillis;
        }
        long half = ceiling / 2;
        return half + ThreadLocalRandom.current().nextLong(ceiling - half + 1);
    }
}
