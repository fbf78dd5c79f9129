package io.tessera.rollout.internal;

import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.events.Modality;
import io.tessera.catalog.client.CatalogCursor;
import io.tessera.catalog.client.CatalogEntry;
import io.tessera.rollout.BackfillIndexer;
import io.tessera.rollout.CatalogSource;
import io.tessera.rollout.RolloutStatus;
import io.tessera.vectorstore.VectorStore;
import io.tessera.vectorstore.VectorStoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
    private final Duration retryBackoff;
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
        this.retryBackoff = retryBackoff;
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
                List<CatalogEntry> batch;
                try {
                    batch = cursor.poll(POLL);
                } catch (RuntimeException e) {
                    lastError = "reading the catalog: " + e.getMessage();
                    sleep(retryBackoff);
                    continue;
                }
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
        CompletableFuture<BackfillIndexer.Outcome> result = attempt(entry, 1);
        synchronized (inFlightByKey) {
            inFlightByKey.put(entry.mediaId(), result);
        }
        result.whenComplete((outcome, error) -> {
            window.release();
            synchronized (inFlightByKey) {
                inFlightByKey.remove(entry.mediaId(), result);
            }
            if (outcome == BackfillIndexer.Outcome.INDEXED) {
                indexed.incrementAndGet();
            } else if (outcome == BackfillIndexer.Outcome.REJECTED) {
                rejected.incrementAndGet();
            }
        });
    }

    /** Transient faults are retried for as long as it takes (the live pipeline does the same); stop ends it. */
    private CompletableFuture<BackfillIndexer.Outcome> attempt(CatalogEntry entry, int n) {
        if (stopped) {
            return CompletableFuture.failedFuture(new IllegalStateException("backfill stopped"));
        }
        CompletableFuture<BackfillIndexer.Outcome> call;
        try {
            call = indexer.reindex(entry.item(), entry.position(), target);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        return call.handle((outcome, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(outcome);
            }
            lastError = "re-indexing " + entry.mediaId() + " from " + entry.position() + " (attempt " + n + "): " + error;
            if (n == 1 || n % 20 == 0) {
                LOG.warn("backfill: {}; retrying", lastError);
            }
            return CompletableFuture.supplyAsync(() -> null,
                            CompletableFuture.delayedExecutor(retryBackoff.toMillis(), TimeUnit.MILLISECONDS))
                    .thenCompose(x -> attempt(entry, n + 1));
        }).thenCompose(f -> f);
    }

    private void deleteWithRetries(CatalogEntry entry) throws InterruptedException {
        for (int n = 1; !stopped; n++) {
            try {
                store.deleteItemInAnyTenant(collection, entry.mediaId());
                deleted.incrementAndGet();
                return;
            } catch (VectorStoreException e) {
                lastError = "deleting " + entry.mediaId() + " from " + collection + " (attempt " + n + "): " + e;
                sleep(retryBackoff);
            }
        }
        throw new InterruptedException();
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

    private void sleep(Duration d) throws InterruptedException {
        if (stopped) {
            throw new InterruptedException();
        }
        Thread.sleep(d.toMillis());
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
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
        done.completeExceptionally(new IllegalStateException("backfill of " + collection + " stopped"));
    }
}
