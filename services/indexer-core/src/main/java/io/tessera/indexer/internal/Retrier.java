package io.tessera.indexer.internal;

import io.tessera.indexer.DependencyHealth;
import io.tessera.indexer.IndexerMetrics;
import io.tessera.indexer.SourceRecord;
import io.tessera.retry.Fault;
import io.tessera.retry.RetryPolicy;
import io.tessera.retry.Retrying;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one stage of a record again after transient failures, with backoff, for as long as the pipeline runs; the
 * record simply waits (and with it its partition's commit position), it is never dead-lettered for an outage.
 * Unexpected failures get {@value #UNEXPECTED_ATTEMPTS} attempts, then surface. Poison pills surface at once.
 * Waiting happens on a scheduler, not on a worker thread, so an outage does not tie up the decode pool. The loop,
 * the backoff and the classification rule are the shared retry's (io.tessera.retry); {@link Failures} says which
 * failure is which.
 */
public final class Retrier {

    /** Attempts for failures that are neither poison nor a known transient fault. */
    public static final int UNEXPECTED_ATTEMPTS = 3;

    private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);

    private final ScheduledExecutorService scheduler;
    private final RetryPolicy policy;
    private final DependencyHealth health;
    private final IndexerMetrics metrics;
    private final BooleanSupplier closed;

    public Retrier(ScheduledExecutorService scheduler, RetryPolicy policy, DependencyHealth health,
                   IndexerMetrics metrics, BooleanSupplier closed) {
        this.scheduler = scheduler;
        this.policy = policy;
        this.health = health;
        this.metrics = metrics;
        this.closed = closed;
    }

    public <T> CompletableFuture<T> retry(SourceRecord record, String mediaId, String stage,
                                          Supplier<CompletableFuture<T>> attempt) {
        DependencyHealth.Dependency[] failing = {null};
        // The shared retry (io.tessera.retry) waits on the pipeline's scheduler between attempts.
        Retrying retrying = Retrying.with("indexer-" + stage, policy)
                .classify(Failures::fault)
                .unexpectedAttempts(UNEXPECTED_ATTEMPTS)
                .beforeRetry((fault, retry, wait) -> {
                    if (fault instanceof Fault.Transient t) {
                        failing[0] = DependencyHealth.Dependency.valueOf(t.dependency());
                        health.failed(failing[0], t.cause());
                        metrics.retry(failing[0]);
                    } else {
                        RecordLogContext.run(record, mediaId, () -> LOG.warn(
                                "{} of {} failed unexpectedly, retrying in {} ms", stage, record.location(),
                                wait.toMillis(), fault.cause()));
                    }
                })
                .build();
        CompletableFuture<T> result = new CompletableFuture<>();
        retrying.<T>async(scheduler, () -> closed.getAsBoolean()
                ? CompletableFuture.failedFuture(new PipelineClosedException("pipeline closed while "
                        + record.location() + " waited to " + stage, null))
                : attempt.get()).whenComplete((value, error) -> {
                    if (error == null) {
                        if (failing[0] != null) {
                            health.succeeded(failing[0]);
                        }
                        result.complete(value);
                    } else if (Failures.unwrap(error) instanceof RejectedExecutionException rejected) {
                        result.completeExceptionally(new PipelineClosedException("pipeline closed while "
                                + record.location() + " waited to " + stage, rejected));
                    } else {
                        result.completeExceptionally(Failures.unwrap(error));
                    }
                });
        return result;
    }
}
