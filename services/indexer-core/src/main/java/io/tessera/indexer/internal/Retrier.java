package io.tessera.indexer.internal;

import io.tessera.indexer.DependencyHealth;
import io.tessera.indexer.IndexerMetrics;
import io.tessera.indexer.SourceRecord;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one stage of a record again after transient failures, with backoff, for as long as the pipeline runs; the
 * record simply waits (and with it its partition's commit position), it is never dead-lettered for an outage.
 * Unexpected failures get {@value #UNEXPECTED_ATTEMPTS} attempts, then surface. Poison pills surface at once.
 * Waiting happens on a scheduler, not on a worker thread, so an outage does not tie up the decode pool.
 */
public final class Retrier {

    /** Attempts for failures that are neither poison nor a known transient fault. */
    public static final int UNEXPECTED_ATTEMPTS = 3;

    private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);

    private final ScheduledExecutorService scheduler;
    private final Backoff backoff;
    private final DependencyHealth health;
    private final IndexerMetrics metrics;
    private final BooleanSupplier closed;

    public Retrier(ScheduledExecutorService scheduler, Backoff backoff, DependencyHealth health, IndexerMetrics metrics,
                   BooleanSupplier closed) {
        this.scheduler = scheduler;
        this.backoff = backoff;
        this.health = health;
        this.metrics = metrics;
        this.closed = closed;
    }

    public <T> CompletableFuture<T> retry(SourceRecord record, String mediaId, String stage,
                                          Supplier<CompletableFuture<T>> attempt) {
        CompletableFuture<T> result = new CompletableFuture<>();
        run(record, mediaId, stage, attempt, result, 1, 0, null);
        return result;
    }

    private <T> void run(SourceRecord record, String mediaId, String stage, Supplier<CompletableFuture<T>> attempt,
                         CompletableFuture<T> result, int n, int unexpected, DependencyHealth.Dependency failing) {
        if (closed.getAsBoolean()) {
            result.completeExceptionally(new PipelineClosedException("pipeline closed while " + record.location()
                    + " waited to " + stage, null));
            return;
        }
        CompletableFuture<T> f;
        try {
            f = attempt.get();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((value, error) -> {
            if (error == null) {
                if (failing != null) {
                    health.succeeded(failing);
                }
                result.complete(value);
                return;
            }
            Failures.Kind kind = Failures.classify(error);
            switch (kind) {
                case Failures.Transient t -> {
                    health.failed(t.dependency(), t.cause());
                    metrics.retry(t.dependency());
                    later(record, mediaId, stage, attempt, result, n + 1, unexpected, t.dependency(), backoff.after(n));
                }
                case Failures.Unexpected u when unexpected + 1 < UNEXPECTED_ATTEMPTS -> {
                    RecordLog.run(record, mediaId, () -> LOG.warn("{} of {} failed unexpectedly (attempt {} of {}), retrying",
                            stage, record.location(), unexpected + 1, UNEXPECTED_ATTEMPTS, u.cause()));
                    later(record, mediaId, stage, attempt, result, n + 1, unexpected + 1, failing, backoff.after(n));
                }
                default -> result.completeExceptionally(Failures.unwrap(error));
            }
        });
    }

    private <T> void later(SourceRecord record, String mediaId, String stage, Supplier<CompletableFuture<T>> attempt,
                           CompletableFuture<T> result, int n, int unexpected, DependencyHealth.Dependency failing,
                           Duration wait) {
        try {
            scheduler.schedule(() -> run(record, mediaId, stage, attempt, result, n, unexpected, failing),
                    wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new PipelineClosedException("pipeline closed while " + record.location()
                    + " waited to " + stage, e));
        }
    }
}
