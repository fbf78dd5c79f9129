package io.tessera.vectorstore;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Runs an action again while it fails with a transient {@link VectorStoreException}, with the backoff of a
 * {@link RetryPolicy}. Permanent failures and other exceptions pass through at once. Interrupts are honoured:
 * an interrupted wait restores the flag and rethrows the last failure.
 * <p>
 * The store already retries each call with its configured policy; use this to retry a sequence of calls
 * (e.g. ensureCollection then write) as one unit.
 */
public final class Retries {

    /** Called before each wait; for metrics and (quiet) logging. */
    @FunctionalInterface
    public interface Listener {
        void beforeRetry(int failedAttempt, Duration wait, VectorStoreException failure);
    }

    public static <T> T call(RetryPolicy policy, Supplier<T> action) {
        return call(policy, action, (attempt, wait, failure) -> { });
    }

    public static <T> T call(RetryPolicy policy, Supplier<T> action, Listener listener) {
        long deadline = System.nanoTime() + policy.maxElapsed().toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                return action.get();
            } catch (VectorStoreException e) {
                if (!e.isTransient() || attempt >= policy.maxAttempts()) {
                    throw e;
                }
                Duration wait = jittered(policy.backoffAfter(attempt));
                if (System.nanoTime() + wait.toNanos() - deadline > 0) {
                    throw e;
                }
                listener.beforeRetry(attempt, wait, e);
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    e.addSuppressed(interrupted);
                    throw e;
                }
            }
        }
    }

    /** ±20 % so that several indexers do not hammer a recovering Milvus in lockstep. */
    static Duration jittered(Duration base) {
        long millis = base.toMillis();
        if (millis == 0) {
            return base;
        }
        long jitter = (long) (millis * 0.2);
        return Duration.ofMillis(millis - jitter + ThreadLocalRandom.current().nextLong(2 * jitter + 1));
    }

    private Retries() {
    }
}
