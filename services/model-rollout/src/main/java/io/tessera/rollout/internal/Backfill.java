package io.tessera.rollout.internal;

import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.events.Modality;
import io.tessera.catalog.client.CatalogCursor;
import io.tessera.catalog.client.CatalogEntry;
import io.tessera.rollout.BackfillIndexer;
import io.tessera.rollout.CatalogSource;
import io.tessera.retry.Fault;
import io.tessera.retry.RetryPolicy;
import io.tessera.retry.Retrying;
import io.tessera.rollout.RolloutStatus;
import io.tessera.vectorstore.VectorStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-indexes media.catalog into the collection of a new model version, for one modality, on its own thread.
 *
 * <p>Reads from the beginning, in offset order per partition, and keeps going until it has caught up with the
 * catalog as it is <em>after</em> all its writes finished: an item updated or deleted while the backfill runs has its
 * newer record later in the catalog, so the last write for every item is its latest version (no stale overwrite).
 * Items arriving meanwhile are also dual-written by the live pipeline. Writes are idempotent upserts, so a backfill
 * restarted from the beginning after a crash converges to the same rows.
 */
public final class Backfill implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Backfill.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final CatalogSource catalog;
    private final BackfillIndexer indexer;
    private final VectorStore store;
    private final Modality modality;
    private final EmbeddingRuntime target;
    private final String collection;
    private final int concurrency;
    /** Every fault is retried for as long as it takes (the live pipeline does the same) until {@link #close()}. */
    private final RetryPolicy retryPolicy;
    /** Where a re-index waits for its next attempt, so that no thread is held while the target is down. */
    private final ScheduledExecutorService retries;
    private final Clock clock;
    private final CompletableFuture<RolloutStatus.Backfill> done = new CompletableFuture<>();
    private final Semaphore window;
    private final Map<String, CompletableFuture<?>> inFlightByKey = new HashMap<>();
    private final AtomicLong scanned = new AtomicLong();
    private final AtomicLong indexed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private final AtomicLong other = new AtomicLong();
    private volatile long total;
    private volatile Instant startedAt;
    private volatile String lastError;
    private volatile boolean stopped;
    private Thread thread;

    public Backfill(CatalogSource catalog, BackfillIndexer indexer, VectorStore store, Modality modality,
                    EmbeddingRuntime target, String collection, int concurrency, Duration retryBackoff, Clock clock) {
        this.catalog = catalog;
        this.indexer = indexer;
        this.store = store;
        this.modality = modality;
        this.target = target;
        this.collection = collection;
        this.concurrency = concurrency;
        this.retryPolicy = RetryPolicy.unbounded(retryBackoff, retryBackoff);
        this.retries = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("rollout-backfill-retry-" + collection + "-" + modality).factory());
        this.clock = clock;
        this.window = new Semaphore(concurrency);
    }

    /** Starts on its own thread; {@link #done()} completes when caught up (or exceptionally when stopped). */
    public Backfill start() {
        startedAt = clock.instant();
        thread = Thread.ofPlatform().daemon().name("rollout-backfill-" + collection + "-" + modality).start(this::run);
        return this;
    }

    public CompletableFuture<RolloutStatus.Backfill> done() {
        return done;
    }

    public String lastError() {
        return lastError;
    }

    private void run() {
        try {
            runUntilCaughtUp();
            RolloutStatus.Backfill result = progress();
            LOG.info("backfill of {} into {} caught up: {} catalog records, {} re-indexed, {} rejected, {} deleted",
                    modality, collection, result.scanned(), result.indexed(), result.rejected(), result.deleted());
            done.complete(result);
        } catch (InterruptedException e) {
            done.completeExceptionally(new IllegalStateException("backfill of " + collection + " stopped"));
        } catch (RuntimeException e) {
            LOG.warn("backfill of {} into {} failed: {}", modality, collection, e.toString());
            done.completeExceptionally(e);
        }
    }

    private void runUntilCaughtUp() throws InterruptedException {
        try (CatalogCursor cursor = catalog.open()) {
            total = cursor.total();
            while (!stopped) {
                List<CatalogEntry> batch = retried("reading the catalog", () -> cursor.poll(POLL));
                for (CatalogEntry entry : batch) {
                    handle(entry);
                }
                // Caught up once everything polled is handled and nothing newer is in the catalog: not "a poll came
                // back empty", which steady traffic (an arrival more often than every POLL) would never allow.
                if (cursor.caughtUp()) {
                    awaitInFlight();
                    // Items written while we waited may have newer catalog records: only stop once none came.
                    if (cursor.caughtUp()) {
                        total = Math.max(cursor.total(), scanned.get());
                        return;
                    }
                }
                total = Math.max(cursor.total(), scanned.get());
            }
            throw new InterruptedException();
        }
    }

    private void handle(CatalogEntry entry) throws InterruptedException {
        scanned.incrementAndGet();
        if (entry.unreadable() != null) {
            rejected.incrementAndGet();
            LOG.warn("backfill skips unreadable catalog record {} ({}): {}", entry.position(), entry.mediaId(),
                    entry.unreadable());
            return;
        }
        awaitKey(entry.mediaId());
        if (entry.isTombstone()) {
            deleteWithRetries(entry);
            return;
        }
        if (entry.item().getModality() != modality) {
            other.incrementAndGet();
            return;
        }
        window.acquire();
        CompletableFuture<BackfillIndexer.Outcome> result = attempt(entry);
        synchronized (inFlightByKey) {
            inFlightByKey.put(entry.mediaId(), result);
        }
        result.whenComplete((outcome, error) -> {
            // Counted before the permit goes back: the caught-up check waits for the permits, then reports the counts.
            if (outcome == BackfillIndexer.Outcome.INDEXED) {
                indexed.incrementAndGet();
            } else if (outcome == BackfillIndexer.Outcome.REJECTED) {
                rejected.incrementAndGet();
            }
            synchronized (inFlightByKey) {
                inFlightByKey.remove(entry.mediaId(), result);
            }
            window.release();
        });
    }

    /** The re-index of one item, tried again after every failure until it succeeds or the backfill stops. */
    private CompletableFuture<BackfillIndexer.Outcome> attempt(CatalogEntry entry) {
        return retrying("re-indexing " + entry.mediaId() + " from " + entry.position(), 20)
                .async(retries, () -> stopped
                        ? CompletableFuture.failedFuture(new IllegalStateException("backfill stopped"))
                        : indexer.reindex(entry.item(), entry.position(), target));
    }

    private void deleteWithRetries(CatalogEntry entry) throws InterruptedException {
        retried("deleting " + entry.mediaId() + " from " + collection, () -> {
            store.deleteItemInAnyTenant(collection, entry.mediaId());
            return null;
        });
        deleted.incrementAndGet();
    }

    /** {@code action} on this thread until it succeeds; a stop (which also interrupts the wait) ends it. */
    private <T> T retried(String doing, java.util.concurrent.Callable<T> action) throws InterruptedException {
        try {
            T result = retrying(doing, 20).call(action);
            if (stopped) {
                throw new InterruptedException();
            }
            return result;
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            if (stopped) {
                throw new InterruptedException();
            }
            throw new IllegalStateException(doing + " failed, which an unbounded retry never gives up on: " + e, e);
        }
    }

    /**
     * Every failure counts as transient (the catalog, the indexer's target and Milvus all come back) until the
     * backfill is closed, which ends the retries; each wait records the failure as {@link #lastError()} and every
     * {@code logEvery}-th one is logged.
     */
    private Retrying retrying(String doing, int logEvery) {
        return Retrying.with("rollout-backfill", retryPolicy)
                .classify(t -> stopped ? new Fault.Closed(t) : new Fault.Transient("rollout backfill", t))
                .beforeRetry((fault, retry, wait) -> {
                    lastError = doing + " (attempt " + retry + "): " + fault.cause();
                    if (retry == 1 || retry % logEvery == 0) {
                        LOG.warn("backfill: {}; retrying", lastError);
                    }
                })
                .build();
    }

    private void awaitKey(String mediaId) throws InterruptedException {
        CompletableFuture<?> earlier;
        synchronized (inFlightByKey) {
            earlier = inFlightByKey.get(mediaId);
        }
        if (earlier != null) {
            join(earlier);
        }
    }

    private void awaitInFlight() throws InterruptedException {
        window.acquire(concurrency);
        window.release(concurrency);
    }

    private static void join(CompletableFuture<?> f) throws InterruptedException {
        try {
            f.get();
        } catch (java.util.concurrent.ExecutionException ignored) {
            // Only a stop fails an attempt, and the loop checks for that.
        }
    }

    public RolloutStatus.Backfill progress() {
        long s = scanned.get();
        long t = Math.max(total, s);
        Instant start = startedAt;
        boolean finished = done.isDone() && !done.isCompletedExceptionally();
        double seconds = start == null ? 0 : Math.max(0.001, Duration.between(start, clock.instant()).toMillis() / 1000.0);
        double rate = start == null ? 0 : s / seconds;
        Long eta = finished ? Long.valueOf(0) : rate > 0 ? Long.valueOf((long) Math.ceil((t - s) / rate)) : null;
        return new RolloutStatus.Backfill(s, t, indexed.get(), rejected.get(), deleted.get(), other.get(), rate, eta,
                start, finished);
    }

    /** Stops reading and retrying; items already handed to the indexer finish there. */
    @Override
    public void close() {
        stopped = true;
        retries.shutdownNow();
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
        done.completeExceptionally(new IllegalStateException("backfill of " + collection + " stopped"));
    }
}
