package io.tessera.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RetryingTest {

    static final class Down extends RuntimeException {
        Down(String m) {
            super(m);
        }
    }

    static final class Bad extends RuntimeException {
        Bad(String m) {
            super(m);
        }
    }

    /** Down is transient, Bad is poison, anything else has no verdict. */
    static Fault direct(Throwable t) {
        if (t instanceof Down) {
            return new Fault.Transient("SERVER", t);
        }
        if (t instanceof Bad) {
            return new Fault.Poison("BAD", t.getMessage(), t);
        }
        return null;
    }

    private static final RetryPolicy FAST = RetryPolicy.unbounded(Duration.ofMillis(1), Duration.ofMillis(2));

    private static Retrying.Builder retrying(RetryPolicy policy) {
        return Retrying.with("test", policy).classify(RetryingTest::direct);
    }

    @Test
    void transientFailuresAreRetriedUntilTheCallSucceedsWithoutALimit() {
        AtomicInteger calls = new AtomicInteger();
        List<Integer> retries = new ArrayList<>();
        Retrying r = retrying(FAST).beforeRetry((fault, retry, wait) -> {
            assertThat(fault).isInstanceOf(Fault.Transient.class);
            assertThat(((Fault.Transient) fault).dependency()).isEqualTo("SERVER");
            retries.add(retry);
        }).build();
        String result = r.get(() -> {
            if (calls.incrementAndGet() <= 60) {
                throw new Down("down " + calls.get());
            }
            return "ok";
        });
        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(61);
        assertThat(retries).hasSize(60).startsWith(1, 2, 3).endsWith(60);
    }

    @Test
    void poisonSurfacesAtOnceAsThrown() {
        AtomicInteger calls = new AtomicInteger();
        Bad bad = new Bad("never");
        Retrying r = retrying(FAST).unexpectedAttempts(5).build();
        assertThatThrownBy(() -> r.get(() -> {
            calls.incrementAndGet();
            throw new IllegalStateException("wrapped", bad);
        })).hasCause(bad);
        assertThat(calls).hasValue(1);
    }

    @Test
    void unexpectedFailuresGetTheirFewAttemptsThenSurface() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Retrying r = retrying(FAST).unexpectedAttempts(3).build();
        assertThatThrownBy(() -> r.call(() -> {
            calls.incrementAndGet();
            throw new IOException("odd");
        })).isInstanceOf(IOException.class).hasMessage("odd");
        assertThat(calls).hasValue(3);

        // Transient faults in between do not use up the unexpected allowance.
        AtomicInteger mixed = new AtomicInteger();
        assertThat(r.call(() -> switch (mixed.incrementAndGet()) {
            case 1, 3, 4, 5 -> throw new Down("d");
            case 2, 6 -> throw new IOException("odd");
            default -> "ok";
        })).isEqualTo("ok");
        assertThat(mixed).hasValue(7);
    }

    @Test
    void aBoundedPolicyGivesUpAfterItsAttemptsWithTheLastFailure() {
        AtomicInteger calls = new AtomicInteger();
        Retrying r = retrying(RetryPolicy.bounded(4, Duration.ofMillis(1), Duration.ofMillis(2), Duration.ZERO)).build();
        assertThatThrownBy(() -> r.get(() -> {
            throw new Down("down " + calls.incrementAndGet());
        })).isInstanceOf(Down.class).hasMessage("down 4");
        assertThat(calls).hasValue(4);
        assertThat(r.policy().isUnbounded()).isFalse();
        assertThat(FAST.isUnbounded()).isTrue();
    }

    @Test
    void aBoundedPolicyStartsNoRetryAfterItsElapsedBudget() {
        AtomicInteger calls = new AtomicInteger();
        RetryPolicy budget = RetryPolicy.bounded(RetryPolicy.UNBOUNDED, Duration.ofMillis(50), Duration.ofMillis(50),
                Duration.ofMillis(120));
        long start = System.nanoTime();
        assertThatThrownBy(() -> retrying(budget).build().get(() -> {
            calls.incrementAndGet();
            throw new Down("down");
        })).isInstanceOf(Down.class);
        assertThat(calls.get()).isBetween(2, 3);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void anInterruptEndsTheWaitKeepsTheFlagAndSurfacesTheLastFailure() throws Exception {
        Retrying r = retrying(RetryPolicy.unbounded(Duration.ofSeconds(10), Duration.ofSeconds(10))).build();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        CompletableFuture<Void> waiting = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                r.get(() -> {
                    waiting.complete(null);
                    throw new Down("down");
                });
            } catch (Throwable e) {
                thrown.set(e);
            }
            flag.set(Thread.currentThread().isInterrupted());
        });
        waiting.get(5, TimeUnit.SECONDS);
        // Until the worker is in its backoff wait (bounded), so the interrupt lands there.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (t.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        long start = System.nanoTime();
        t.interrupt();
        t.join(5_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(thrown.get()).isInstanceOf(Down.class);
        assertThat(flag.get()).isTrue();
    }

    @Test
    void theBackoffDoublesUpToItsCapAndNeverOverflows() {
        RetryPolicy p = RetryPolicy.unbounded(Duration.ofMillis(200), Duration.ofSeconds(5));
        List<Long> waits = new ArrayList<>();
        for (int retry = 1; retry <= 7; retry++) {
            waits.add(p.backoff(retry).toMillis());
        }
        assertThat(waits).containsExactly(200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L);
        for (int retry : new int[] {56, 57, 63, 64, 65, 1_000, Integer.MAX_VALUE}) {
            assertThat(p.backoff(retry).toMillis()).as("retry %d", retry).isEqualTo(5000L);
        }
        assertThat(RetryPolicy.none().backoff(3)).isEqualTo(Duration.ZERO);
    }

    @Test
    void theJitterSpreadsEveryWaitWithinTwentyPercentEvenAtTheCap() {
        RetryPolicy p = RetryPolicy.unbounded(Duration.ofMillis(200), Duration.ofSeconds(5));
        Set<Long> atCap = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            long first = p.jitteredBackoff(1).toMillis();
            assertThat(first).isBetween(160L, 240L);
            long capped = p.jitteredBackoff(100).toMillis();
            assertThat(capped).isBetween(4000L, 6000L);
            atCap.add(capped);
        }
        assertThat(atCap).as("waits at the cap must differ, or clients retry in step").hasSizeGreaterThan(50);
    }

    @Test
    void asyncRetriesWaitOnTheCallersSchedulerAndCompleteWithTheResult() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            AtomicInteger calls = new AtomicInteger();
            Set<String> retryThreads = new HashSet<>();
            Retrying r = retrying(FAST).build();
            CompletableFuture<String> f = r.async(scheduler, () -> {
                if (calls.incrementAndGet() > 1) {
                    retryThreads.add(Thread.currentThread().getName());
                }
                if (calls.get() <= 5) {
                    return CompletableFuture.failedFuture(new CompletionException(new Down("down")));
                }
                return CompletableFuture.completedFuture("ok");
            });
            assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo("ok");
            assertThat(calls).hasValue(6);
            assertThat(retryThreads).hasSize(1).allMatch(n -> !n.equals(Thread.currentThread().getName()));

            CompletableFuture<String> poisoned = r.async(scheduler, () -> {
                throw new Bad("never");
            });
            assertThatThrownBy(() -> poisoned.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(Bad.class);
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void anAsyncRetryDueAfterTheSchedulerStopsFailsInsteadOfHanging() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        scheduler.shutdown();
        CompletableFuture<String> f = retrying(FAST).build().async(scheduler,
                () -> CompletableFuture.failedFuture(new Down("down")));
        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void classificationWalksTheCauseChainThroughCompletionWrappers() {
        Down down = new Down("down");
        Fault f = Fault.classify(new CompletionException(new RuntimeException("wrapper", down)), RetryingTest::direct);
        assertThat(f).isInstanceOf(Fault.Transient.class);
        assertThat(f.cause()).isSameAs(down);
        assertThat(Fault.classify(new RuntimeException(new InterruptedException()), RetryingTest::direct))
                .isInstanceOf(Fault.Closed.class);
        RuntimeException odd = new RuntimeException("odd");
        assertThat(Fault.classify(new ExecutionException(odd), RetryingTest::direct))
                .isEqualTo(new Fault.Unexpected(odd));
    }
}
