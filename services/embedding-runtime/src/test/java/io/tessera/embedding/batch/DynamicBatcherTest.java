package io.tessera.embedding.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DynamicBatcherTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static BatcherConfig config(int max, int waitMs, int queue, int submitTimeoutMs) {
        return new BatcherConfig(max, Duration.ofMillis(waitMs), queue, Duration.ofMillis(submitTimeoutMs), 1);
    }

    @Test
    void everyCallerGetsItsOwnResultAndBatchesKeepArrivalOrder() throws Exception {
        List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
        try (DynamicBatcher<String, String> b = new DynamicBatcher<>("order", config(16, 5, 10_000, 1000),
                batch -> {
                    batches.add(List.copyOf(batch));
                    return batch.stream().map(s -> "out:" + s).toList();
                }, registry)) {
            int threads = 8;
            int perThread = 200;
            List<CompletableFuture<String>> all = Collections.synchronizedList(new ArrayList<>());
            List<Thread> ts = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int t = 0; t < threads; t++) {
                int id = t;
                ts.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        CompletableFuture<String> f = b.submit(id + ":" + i);
                        all.add(f.thenApply(r -> {
                            assertEquals("out:" + id + ":" + r.substring(r.lastIndexOf(':') + 1), r);
                            return r;
                        }));
                        if (i % 10 == 0) {
                            f.join();
                        }
                    }
                }));
            }
            start.countDown();
            for (Thread t : ts) {
                t.join();
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertEquals(threads * perThread, batches.stream().mapToInt(List::size).sum());
            assertTrue(batches.stream().allMatch(x -> x.size() <= 16), "no batch above max size");
            assertTrue(batches.stream().anyMatch(x -> x.size() > 1), "concurrent callers share batches");
            // Within a batch, and across batches, each caller's items keep their submission order (FIFO).
            int[] last = new int[threads];
            java.util.Arrays.fill(last, -1);
            for (List<String> batch : batches) {
                for (String item : batch) {
                    int t = Integer.parseInt(item.substring(0, item.indexOf(':')));
                    int i = Integer.parseInt(item.substring(item.indexOf(':') + 1));
                    assertTrue(i > last[t], "caller " + t + " item " + i + " came after item " + last[t]);
                    last[t] = i;
                }
            }
        }
        assertEquals(8 * 200, (long) registry.get("tessera.embedding.batch.size").summary().totalAmount());
    }

    @Test
    void noCallerStarvesUnderAFloodFromOthers() throws Exception {
        List<Integer> processed = Collections.synchronizedList(new ArrayList<>());
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("fair", config(4, 1, 100_000, 1000),
                batch -> {
                    Thread.sleep(1);
                    processed.addAll(batch);
                    return batch;
                }, registry)) {
            List<CompletableFuture<Integer>> all = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                all.add(b.submit(i));
            }
            CompletableFuture<Integer> lone = b.submit(-1);
            for (int i = 200; i < 400; i++) {
                all.add(b.submit(i));
            }
            assertEquals(-1, lone.get(10, TimeUnit.SECONDS));
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            // Served in arrival order: the lone caller neither waits for the later flood nor jumps the earlier one.
            assertEquals(200, processed.indexOf(-1));
            for (int i = 0; i < 400; i++) {
                assertEquals(i, processed.get(i < 200 ? i : i + 1));
            }
        }
    }

    @Test
    void aFailingBatchFailsOnlyItsOwnCallersWithTheCause() throws Exception {
        IllegalStateException boom = new IllegalStateException("poisoned batch");
        try (DynamicBatcher<String, String> b = new DynamicBatcher<>("isolation", config(4, 50, 100, 1000),
                batch -> {
                    if (batch.contains("poison")) {
                        throw boom;
                    }
                    return batch;
                }, registry)) {
            List<CompletableFuture<String>> first = List.of(b.submit("a"), b.submit("poison"), b.submit("b"),
                    b.submit("c"));
            for (CompletableFuture<String> f : first) {
                ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                        () -> f.get(5, TimeUnit.SECONDS));
                assertSame(boom, e.getCause());
            }
            List<CompletableFuture<String>> next = List.of(b.submit("d"), b.submit("e"), b.submit("f"),
                    b.submit("g"));
            for (CompletableFuture<String> f : next) {
                f.get(5, TimeUnit.SECONDS);
            }
        }
        assertEquals(1.0, registry.get("tessera.embedding.batch.failures").counter().count());
    }

    @Test
    void aFullQueueRejectsAfterTheSubmitTimeoutWithARetriableError() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("full", config(1, 0, 2, 50),
                batch -> {
                    release.await();
                    return batch;
                }, registry)) {
            List<CompletableFuture<Integer>> accepted = new ArrayList<>();
            accepted.add(b.submit(0));
            // The worker holds item 0; fill the queue (capacity 2) and wait until it is really full.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            CompletableFuture<Integer> rejected = null;
            for (int i = 1; i < 10 && rejected == null; i++) {
                CompletableFuture<Integer> f = b.submit(i);
                if (f.isCompletedExceptionally()) {
                    rejected = f;
                } else {
                    accepted.add(f);
                }
                assertTrue(System.nanoTime() < deadline);
            }
            assertTrue(rejected != null, "a submit to a full queue is rejected");
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    rejected::get);
            BatcherOverloadedException overloaded = assertInstanceOf(BatcherOverloadedException.class, e.getCause());
            assertTrue(overloaded.isRetriable());
            release.countDown();
            for (CompletableFuture<Integer> f : accepted) {
                f.get(5, TimeUnit.SECONDS);
            }
        }
        assertTrue(registry.get("tessera.embedding.rejected").counter().count() >= 1);
    }

    @Test
    void aLoneItemIsRunAfterMaxWaitWithoutAFullBatch() throws Exception {
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("wait", config(64, 20, 100, 100),
                batch -> batch, registry)) {
            long t0 = System.nanoTime();
            assertEquals(7, b.submit(7).get(5, TimeUnit.SECONDS));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms >= 15 && ms < 2000, "waited " + ms + " ms for companions, then ran alone");
        }
    }
}
