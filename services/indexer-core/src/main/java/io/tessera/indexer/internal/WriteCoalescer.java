package io.tessera.indexer.internal;

import io.tessera.indexer.DependencyHealth;
import io.tessera.indexer.IndexerMetrics;
import io.tessera.retry.Fault;
import io.tessera.retry.RetryPolicy;
import io.tessera.retry.Retrying;
import io.tessera.vectorstore.InvalidVectorDataException;
import io.tessera.vectorstore.MediaItem;
import io.tessera.vectorstore.ModelSpec;
import io.tessera.vectorstore.VectorStore;
import io.tessera.vectorstore.VectorStoreException;
import io.tessera.vectorstore.WriteResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes to Milvus: it gathers the items finished by all records (across partitions) into
 * batches of up to {@code maxItems}, waiting at most {@code maxWait} for a batch to fill, and writes each batch with
 * one {@link VectorStore#replaceItems} call per collection. The store serialises writes anyway (Milvus Lite corrupts
 * its log under concurrent writers), so one writer thread costs nothing and makes every write a large one.
 * <p>
 * Transient failures (Milvus down or restarting, a collection released by a restart, even a collection dropped
 * under us) are retried here with backoff for as long as it takes: the batch stays queued, the records behind it
 * wait, the consumer pauses. Only bad data ({@link InvalidVectorDataException}) fails an item; a batch that fails
 * that way is split so that only the bad item fails. Collections are created on demand (with the alias when it is
 * missing) and remembered; a failure forgets them so the next attempt ensures them again (and loads them after a
 * Milvus restart).
 */
public final class WriteCoalescer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WriteCoalescer.class);

    private sealed interface Op {
        ModelSpec spec();

        String collection();

        CompletableFuture<?> future();
    }

    private record Upsert(ModelSpec spec, String collection, MediaItem item, CompletableFuture<WriteResult> future)
            implements Op {
    }

    private record Delete(ModelSpec spec, String collection, String mediaId, CompletableFuture<Long> future)
            implements Op {
    }

    private final VectorStore store;
    private final int maxItems;
    private final Duration maxWait;
    private final Retrying retrying;
    private final DependencyHealth health;
    private final IndexerMetrics metrics;
    private final BlockingQueue<Op> queue = new LinkedBlockingQueue<>();
    private final Set<String> ensured = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean closed;

    public WriteCoalescer(VectorStore store, int maxItems, Duration maxWait, RetryPolicy policy, DependencyHealth health,
                          IndexerMetrics metrics) {
        this.store = store;
        this.maxItems = maxItems;
        this.maxWait = maxWait;
        // The shared retry (io.tessera.retry), unbounded: bad data fails the item, every other store failure is an
        // outage from the pipeline's point of view (see Failures) and waits here, however long it lasts.
        this.retrying = Retrying.with("indexer-writer", policy)
                .classify(t -> t instanceof InvalidVectorDataException ? new Fault.Poison("INVALID_ITEM", t.getMessage(), t)
                        : t instanceof VectorStoreException ? new Fault.Transient("MILVUS", t) : null)
                .beforeRetry((fault, retry, wait) -> {
                    health.failed(DependencyHealth.Dependency.MILVUS, fault.cause());
                    metrics.retry(DependencyHealth.Dependency.MILVUS);
                })
                .build();
        this.health = health;
        this.metrics = metrics;
        this.thread = Thread.ofPlatform().name("indexer-writer").daemon().start(this::run);
    }

    /** Queues an item; the future completes once its rows are in Milvus (or fails for bad data or at close). */
    public CompletableFuture<WriteResult> upsert(ModelSpec spec, String collection, MediaItem item) {
        return enqueue(new Upsert(spec, collection, item, new CompletableFuture<>()));
    }

    /** Queues the deletion of all rows of a mediaId (any tenant); completes with the rows deleted. */
    public CompletableFuture<Long> delete(ModelSpec spec, String collection, String mediaId) {
        return enqueue(new Delete(spec, collection, mediaId, new CompletableFuture<>()));
    }

    public int queued() {
        return queue.size();
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> enqueue(Op op) {
        if (closed) {
            op.future().completeExceptionally(new PipelineClosedException("writer closed", null));
        } else {
            queue.add(op);
        }
        return (CompletableFuture<T>) op.future();
    }

    private void run() {
        List<Op> batch = new ArrayList<>(maxItems);
        while (!closed) {
            try {
                Op first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxItems - batch.size());
                long deadline = System.nanoTime() + maxWait.toNanos();
                while (batch.size() < maxItems) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    Op next = queue.poll(left, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                    queue.drainTo(batch, maxItems - batch.size());
                }
                process(batch);
            } catch (InterruptedException e) {
                failAll(batch);
                if (closed) {
                    break;
                }
            } catch (RuntimeException | Error e) {
                LOG.error("writer failed on a batch of {} operations", batch.size(), e);
                for (Op op : batch) {
                    op.future().completeExceptionally(e);
                }
            } finally {
                batch.clear();
            }
        }
        List<Op> left = new ArrayList<>();
        queue.drainTo(left);
        failAll(left);
    }

    private static void failAll(List<Op> ops) {
        for (Op op : ops) {
            op.future().completeExceptionally(new PipelineClosedException("writer closed before the write", null));
        }
    }

    private void process(List<Op> batch) throws InterruptedException {
        Map<String, List<Upsert>> upserts = new LinkedHashMap<>();
        for (Op op : batch) {
            if (op instanceof Upsert u) {
                upserts.computeIfAbsent(u.collection(), c -> new ArrayList<>()).add(u);
            }
        }
        for (List<Upsert> group : upserts.values()) {
            writeGroup(group);
        }
        // Deletes after upserts: one batch never holds both for the same mediaId (records of a key run in order).
        for (Op op : batch) {
            if (op instanceof Delete d) {
                try {
                    long deleted = withRetries(d.spec(), () -> store.deleteItemInAnyTenant(d.collection(), d.mediaId()));
                    d.future().complete(deleted);
                } catch (InvalidVectorDataException e) {
                    d.future().completeExceptionally(e);
                }
            }
        }
    }

    private void writeGroup(List<Upsert> group) throws InterruptedException {
        String collection = group.get(0).collection();
        List<MediaItem> items = group.stream().map(Upsert::item).toList();
        try {
            long start = System.nanoTime();
            WriteResult result = withRetries(group.get(0).spec(), () -> store.replaceItems(collection, items));
            metrics.write().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            metrics.written(items.size());
            for (Upsert u : group) {
                u.future().complete(result);
            }
        } catch (InvalidVectorDataException e) {
            if (group.size() == 1) {
                group.get(0).future().completeExceptionally(e);
                return;
            }
            // One bad item must not fail its neighbours: write them one by one to find it.
            for (Upsert u : group) {
                writeGroup(List.of(u));
            }
        }
    }

    /**
     * Runs a store call until it succeeds, or fails for bad data, or the writer closes. Any other store failure is
     * an outage from the pipeline's point of view (see {@link Failures}).
     */
    private <T> T withRetries(ModelSpec spec, Supplier<T> call) throws InterruptedException {
        String[] collection = {null};
        try {
            T value = retrying.get(() -> {
                if (closed) {
                    throw new PipelineClosedException("writer closed during a Milvus outage", null);
                }
                try {
                    String name = store.naming().collection(spec.name(), spec.version());
                    collection[0] = name;
                    if (!ensured.contains(name)) {
                        store.ensureCollection(spec);
                        ensured.add(name);
                    }
                    return call.get();
                } catch (VectorStoreException e) {
                    if (collection[0] != null && !(e instanceof InvalidVectorDataException)) {
                        ensured.remove(collection[0]);
                    }
                    throw e;
                }
            });
            health.succeeded(DependencyHealth.Dependency.MILVUS);
            return value;
        } catch (PipelineClosedException e) {
            throw new InterruptedException("writer closed during a Milvus outage");
        } catch (VectorStoreException e) {
            if (e instanceof InvalidVectorDataException || !closed && !Thread.interrupted()) {
                throw e;
            }
            throw new InterruptedException("writer closed during a Milvus outage");
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
