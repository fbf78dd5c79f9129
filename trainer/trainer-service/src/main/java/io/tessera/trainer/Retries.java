package io.tessera.trainer;

import io.tessera.retry.Fault;
import io.tessera.retry.RetryPolicy;
import io.tessera.retry.Retrying;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The trainer's waits for its dependencies, on the shared retry (io.tessera.retry): unbounded, from 500 ms doubling to
 * 30 s, with its jitter. What is transient is the caller's {@code classify}; anything else, and an interrupt (as an
 * {@link IllegalStateException}, the flag kept), surfaces.
 */
public final class Retries {

    /** The trainer's backoff for transient faults. */
    public static final RetryPolicy POLICY = RetryPolicy.unbounded(Duration.ofMillis(500), Duration.ofSeconds(30));

    private Retries() {
    }

    public static <T> T untilDone(String name, Function<Throwable, Fault> classify, BiConsumer<Fault, Duration> beforeRetry,
                           Callable<T> action) {
        return untilDone(name, POLICY, classify, beforeRetry, action);
    }

    public static <T> T untilDone(String name, RetryPolicy policy, Function<Throwable, Fault> classify,
                           BiConsumer<Fault, Duration> beforeRetry, Callable<T> action) {
        Retrying retrying = Retrying.with(name, policy).classify(classify)
                .beforeRetry((fault, retry, wait) -> beforeRetry.accept(fault, wait)).build();
        try {
            return retrying.call(action);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + name, e);
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("interrupted during " + name, e);
            }
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(name + " failed", e);
        }
    }
}
