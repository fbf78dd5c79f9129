package io.tessera.retry;

import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs a call under a {@link RetryPolicy}, retrying what the classifier calls {@link Fault.Transient} (and
 * {@link Fault.Unexpected} up to {@link Builder#unexpectedAttempts}); {@link Fault.Poison} and {@link Fault.Closed}
 * surface at once. After the last attempt the last failure surfaces as thrown. Thread-safe; one instance serves
 * any number of concurrent calls.
 *
 * <p>The loop, the waiting and the interrupt handling are resilience4j-retry's ({@link Retry}): synchronously it
 * sleeps on the calling thread (an interrupt ends the wait at once, keeps the thread's flag and surfaces the last
 * failure); asynchronously it schedules the next attempt on the caller's {@link ScheduledExecutorService}, so no
 * thread is held during an outage. Why resilience4j and not SmallRye Fault Tolerance's standalone {@code Guard}
 * (which the Quarkus BOM manages): SmallRye's standalone mode starts a global timer thread and thread pool, not
 * daemon, on first use from any library (a command-line tool would not exit) and is configured once per JVM; its
 * exponential backoff doubles an unclamped {@code long}, which after some 56 retries overflows to a zero wait, so an
 * unbounded retry of a long outage would spin; and its programmatic API is marked experimental. resilience4j-retry
 * has no threads of its own and no dependencies besides resilience4j-core and slf4j. The wait itself comes from
 * {@link RetryPolicy#jitteredBackoff} through resilience4j's interval hook, because resilience4j's own randomised
 * exponential backoff jitters before it caps, so every wait at the cap is the same and clients retry in step.
 */
public final class Retrying {

    /** Called before each wait (metrics, health, logging); {@code retry} counts from 1. */
    @FunctionalInterface
    public interface Listener {
        void beforeRetry(Fault fault, int retry, Duration wait);
    }

    private final String name;
    private final RetryPolicy policy;
    private final Function<Throwable, Fault> classifier;
    private final int unexpectedAttempts;
    private final Listener listener;

    private Retrying(Builder b) {
        this.name = b.name;
        this.policy = b.policy;
        this.classifier = b.classifier;
        this.unexpectedAttempts = b.unexpectedAttempts;
        this.listener = b.listener;
    }

    /** A retry under {@code policy}; {@code name} shows in resilience4j's events. */
    public static Builder with(String name, RetryPolicy policy) {
        return new Builder(name, policy);
    }

    public RetryPolicy policy() {
        return policy;
    }

    /** Runs {@code action} on this thread until it succeeds or may not be retried; throws the last failure. */
    public <T> T call(Callable<T> action) throws Exception {
        try {
            return Retry.decorateCheckedSupplier(newRetry(), action::call).get();
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** {@link #call} for actions that throw only unchecked exceptions. */
    public <T> T get(Supplier<T> action) {
        return Retry.decorateSupplier(newRetry(), action).get();
    }

    /**
     * Runs {@code attempt} now and again after each retriable failure, waiting on {@code scheduler}; the result
     * completes with the first success or the last failure (a {@link java.util.concurrent.RejectedExecutionException}
     * when the scheduler is shut down while a retry is due). An attempt that throws counts as a failed one.
     */
    public <T> CompletableFuture<T> async(ScheduledExecutorService scheduler, Supplier<CompletionStage<T>> attempt) {
        Supplier<CompletionStage<T>> safe = () -> {
            try {
                return attempt.get();
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        };
        return newRetry().<T>executeCompletionStage(scheduler, safe).toCompletableFuture();
    }

    /** One resilience4j Retry per call: the unexpected-failure count and the elapsed time belong to the call. */
    private <T> Retry newRetry() {
        CallState state = new CallState(System.nanoTime());
        RetryConfig config = RetryConfig.<T>custom()
                .maxAttempts(policy.maxAttempts())
                .retryOnException(state::mayRetry)
                .intervalBiFunction((Integer retry, Either<Throwable, T> outcome) -> state.waitMillis(retry))
                .failAfterMaxAttempts(false)
                .build();
        return Retry.of(name, config);
    }

    /** What one call has been through. resilience4j asks {@link #mayRetry} and then {@link #waitMillis}. */
    private final class CallState {
        private final long started;
        private int unexpected;
        private int failures;
        private Fault last;

        CallState(long started) {
            this.started = started;
        }

        synchronized boolean mayRetry(Throwable failure) {
            Fault fault = Fault.classify(failure, classifier);
            last = fault;
            failures++;
            boolean retriable = switch (fault) {
                case Fault.Transient t -> true;
                case Fault.Unexpected u -> ++unexpected < unexpectedAttempts;
                case Fault.Poison p -> false;
                case Fault.Closed c -> false;
            };
            if (!retriable || policy.maxElapsed().isZero()) {
                return retriable;
            }
            long elapsed = System.nanoTime() - started;
            return elapsed + policy.backoff(failures).toNanos() <= policy.maxElapsed().toNanos();
        }

        synchronized long waitMillis(int retry) {
            Duration wait = policy.jitteredBackoff(retry);
            listener.beforeRetry(last, retry, wait);
            return wait.toMillis();
        }
    }

    public static final class Builder {
        private final String name;
        private final RetryPolicy policy;
        private Function<Throwable, Fault> classifier = t -> null;
        private int unexpectedAttempts = 1;
        private Listener listener = (fault, retry, wait) -> { };

        private Builder(String name, RetryPolicy policy) {
            this.name = Objects.requireNonNull(name, "name");
            this.policy = Objects.requireNonNull(policy, "policy");
        }

        /**
         * The verdict for one exception of a cause chain, {@code null} for none (see {@link Fault#classify}). Without
         * one every failure is {@link Fault.Unexpected}.
         */
        public Builder classify(Function<Throwable, Fault> direct) {
            this.classifier = Objects.requireNonNull(direct, "direct");
            return this;
        }

        /** Attempts for {@link Fault.Unexpected} failures, the first included (default 1: not retried). */
        public Builder unexpectedAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("unexpectedAttempts must be >= 1, was " + attempts);
            }
            this.unexpectedAttempts = attempts;
            return this;
        }

        public Builder beforeRetry(Listener l) {
            this.listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        public Retrying build() {
            return new Retrying(this);
        }
    }
}
