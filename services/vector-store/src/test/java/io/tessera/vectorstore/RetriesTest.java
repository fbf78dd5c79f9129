package io.tessera.vectorstore;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetriesTest {

    private static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(4), 2.0, Duration.ofSeconds(5));

    @Test
    void transientFailuresAreRetriedUntilSuccess() {
        AtomicInteger calls = new AtomicInteger();
        List<Integer> retried = new ArrayList<>();
        String result = Retries.call(FAST, () -> {
            if (calls.incrementAndGet() < 3) {
                throw new TransientVectorStoreException("down", null);
            }
            return "ok";
        }, (attempt, wait, failure) -> retried.add(attempt));
        assertEquals("ok", result);
        assertEquals(List.of(1, 2), retried);
    }

    @Test
    void permanentFailuresAreNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        InvalidVectorDataException bad = new InvalidVectorDataException("bad");
        assertSame(bad, assertThrows(InvalidVectorDataException.class, () -> Retries.call(FAST, () -> {
            calls.incrementAndGet();
            throw bad;
        })));
        assertEquals(1, calls.get());
    }

    @Test
    void givesUpAfterMaxAttemptsWithTheLastFailure() {
        AtomicInteger calls = new AtomicInteger();
        assertThrows(TransientVectorStoreException.class, () -> Retries.call(FAST, () -> {
            calls.incrementAndGet();
            throw new TransientVectorStoreException("down", null);
        }));
        assertEquals(4, calls.get());
    }

    @Test
    void givesUpWhenTheNextWaitWouldPassMaxElapsed() {
        RetryPolicy shortBudget = new RetryPolicy(100, Duration.ofMillis(50), Duration.ofMillis(50), 1.0, Duration.ofMillis(120));
        AtomicInteger calls = new AtomicInteger();
        assertThrows(TransientVectorStoreException.class, () -> Retries.call(shortBudget, () -> {
            calls.incrementAndGet();
            throw new TransientVectorStoreException("down", null);
        }));
        assertTrue(calls.get() >= 2 && calls.get() <= 4, "calls: " + calls.get());
    }

    @Test
    void anInterruptStopsTheWaitAndKeepsTheFlag() {
        RetryPolicy slow = new RetryPolicy(5, Duration.ofSeconds(10), Duration.ofSeconds(10), 1.0, Duration.ofMinutes(1));
        Thread.currentThread().interrupt();
        try {
            TransientVectorStoreException e = assertThrows(TransientVectorStoreException.class, () -> Retries.call(slow, () -> {
                throw new TransientVectorStoreException("down", null);
            }));
            assertTrue(Thread.currentThread().isInterrupted());
            assertEquals(1, e.getSuppressed().length);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void backoffGrowsAndIsCapped() {
        RetryPolicy p = RetryPolicy.defaults();
        assertEquals(Duration.ofMillis(200), p.backoffAfter(1));
        assertEquals(Duration.ofMillis(400), p.backoffAfter(2));
        assertEquals(Duration.ofSeconds(5), p.backoffAfter(20));
        for (int i = 0; i < 100; i++) {
            long j = Retries.jittered(Duration.ofMillis(1000)).toMillis();
            assertTrue(j >= 800 && j <= 1200, "jitter " + j);
        }
    }
}
