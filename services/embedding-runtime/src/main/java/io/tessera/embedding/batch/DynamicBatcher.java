package io.tessera.embedding.batch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.tessera.embedding.EmbeddingException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Groups single items from any number of caller threads into batches for one call of a batch function.
 *
 * <ul>
 *   <li>A batch is run when it holds {@code maxBatchSize} items or its first item has waited {@code maxWait}.
 *       Items are taken in arrival order (one FIFO queue), so no caller starves, and a batch keeps that order.</li>
 *   <li>Back-pressure: when {@code queueCapacity} items wait, {@link #submit} blocks up to
 *       {@code submitTimeout}, then returns a future failed with a retriable {@link BatcherOverloadedException}.</li>
 *   <li>A batch whose function throws fails exactly that batch's futures, with the thrown exception; the next
 *       batch runs as usual.</li>
 *   <li>Futures are completed on the worker thread: callers that chain heavy work should use the *Async stages.</li>
 *   <li>Metrics (tag {@code batcher}): {@code tessera.embedding.batch.size}, {@code tessera.embedding.queue.wait},
 *       {@code tessera.embedding.inference}, {@code tessera.embedding.batch.failures},
 *       {@code tessera.embedding.rejected}, {@code tessera.embedding.queue.depth}.</li>
 * </ul>
 */
public final class DynamicBatcher<I, O> implements AutoCloseable {

    /** Computes one output per input, in the same order. */
    @FunctionalInterface
    public interface BatchFunction<I, O> {
        List<O> apply(List<I> batch) throws Exception;
    }

    private record Pending<I, O>(I item, CompletableFuture<O> future, long enqueuedNanos) {}

    private final String name;
    private final BatcherConfig config;
    private final BatchFunction<I, O> function;
    private final BlockingQueue<Pending<I, O>> queue;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean closed;

    private final DistributionSummary batchSize;
    private final Timer queueWait;
    private final Timer inference;
    private final Counter failures;
    private final Counter rejected;

    public DynamicBatcher(String name, BatcherConfig config, BatchFunction<I, O> function, MeterRegistry registry) {
        this.name = name;
        this.config = config;
        this.function = function;
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        Tags tags = Tags.of("batcher", name);
        this.batchSize = DistributionSummary.builder("tessera.embedding.batch.size").tags(tags)
                .description("items per batch").register(registry);
        this.queueWait = Timer.builder("tessera.embedding.queue.wait").tags(tags)
                .description("time an item waited before its batch started").register(registry);
        this.inference = Timer.builder("tessera.embedding.inference").tags(tags)
                .description("time the batch function took per batch").register(registry);
        this.failures = Counter.builder("tessera.embedding.batch.failures").tags(tags)
                .description("batches whose function failed").register(registry);
        this.rejected = Counter.builder("tessera.embedding.rejected").tags(tags)
                .description("items rejected because the queue stayed full").register(registry);
        Gauge.builder("tessera.embedding.queue.depth", queue, BlockingQueue::size).tags(tags)
                .description("items waiting").register(registry);
        for (int i = 0; i < config.workers(); i++) {
            Thread t = Thread.ofPlatform().daemon().name("batcher-" + name + "-" + i).unstarted(this::runWorker);
            workers.add(t);
            t.start();
        }
    }

    public BatcherConfig config() {
        return config;
    }

    /**
     * Queues one item. Blocks while the queue is full, at most {@code submitTimeout}; the returned future then
     * fails with {@link BatcherOverloadedException}. After {@link #close()} futures fail with a retriable
     * {@link EmbeddingException}.
     */
    public CompletableFuture<O> submit(I item) {
        CompletableFuture<O> future = new CompletableFuture<>();
        if (closed) {
            future.completeExceptionally(new EmbeddingException("batcher " + name + " is closed", true));
            return future;
        }
        Pending<I, O> p = new Pending<>(item, future, System.nanoTime());
        boolean queued;
        try {
            queued = queue.offer(p) || queue.offer(p, config.submitTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.completeExceptionally(new EmbeddingException("interrupted while queueing in " + name, true, e));
            return future;
        }
        if (!queued) {
            rejected.increment();
            future.completeExceptionally(new BatcherOverloadedException("batcher " + name + " queue is full ("
                    + config.queueCapacity() + " items) for " + config.submitTimeout().toMillis() + " ms"));
        } else if (closed && queue.remove(p)) {
            future.completeExceptionally(new EmbeddingException("batcher " + name + " is closed", true));
        }
        return future;
    }

    private void runWorker() {
        int max = config.maxBatchSize();
        long maxWait = config.maxWait().toNanos();
        List<Pending<I, O>> batch = new ArrayList<>(max);
        while (!closed || !queue.isEmpty()) {
            try {
                Pending<I, O> first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, max - batch.size());
                long deadline = first.enqueuedNanos() + maxWait;
                while (batch.size() < max && !closed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    Pending<I, O> next = queue.poll(left, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                    queue.drainTo(batch, max - batch.size());
                }
                run(batch);
            } catch (InterruptedException e) {
                if (closed) {
                    break;
                }
            } catch (Throwable t) {
                // run() completes futures itself; reaching here means an Error in bookkeeping: fail the batch.
                for (Pending<I, O> p : batch) {
                    p.future().completeExceptionally(t);
                }
            } finally {
                batch.clear();
            }
        }
    }

    private void run(List<Pending<I, O>> batch) {
        long start = System.nanoTime();
        List<I> items = new ArrayList<>(batch.size());
        for (Pending<I, O> p : batch) {
            items.add(p.item());
            queueWait.record(start - p.enqueuedNanos(), TimeUnit.NANOSECONDS);
        }
        batchSize.record(batch.size());
        List<O> out;
        try {
            out = function.apply(items);
            if (out == null || out.size() != batch.size()) {
                throw new IllegalStateException("batch function of " + name + " returned "
                        + (out == null ? "null" : out.size() + " results") + " for " + batch.size() + " items");
            }
        } catch (Throwable t) {
            inference.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            failures.increment();
            for (Pending<I, O> p : batch) {
                p.future().completeExceptionally(t);
            }
            return;
        }
        inference.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).future().complete(out.get(i));
        }
    }

    /** Stops taking items, runs what is queued, and waits for the workers to finish. */
    @Override
    public void close() {
        closed = true;
        for (Thread t : workers) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Pending<I, O> p; (p = queue.poll()) != null; ) {
            p.future().completeExceptionally(new EmbeddingException("batcher " + name + " is closed", true));
        }
    }
}
