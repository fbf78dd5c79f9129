package io.tessera.catalog.internal.runtime;

import io.tessera.retry.RetryPolicy;
import io.tessera.serde.DeserializationFailure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a stream thread dies: it is replaced, after a pause that grows while failures repeat, and the
 * new thread reads again from the last committed offsets. Records are never skipped here: bad records were already
 * dead-lettered by the processors, so whatever reaches this handler is a fault outside the record (the schema
 * registry or Kafka unreachable, a bug) that retrying either fixes or keeps visible (readiness stays down).
 * Quarkus hands this bean to Kafka Streams before starting it.
 */
@ApplicationScoped
public class RetryingExceptionHandler implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RetryingExceptionHandler.class);
    // The pause is capped so that a shutdown, which waits for the dying thread, is not held up for long.
    private static final RetryPolicy PAUSES = RetryPolicy.unbounded(Duration.ofSeconds(1), Duration.ofSeconds(10));
    private static final Duration QUIET_RESET = Duration.ofMinutes(5);

    private final AtomicInteger consecutive = new AtomicInteger();
    private final AtomicLong lastFailure = new AtomicLong();

    @Override
    public StreamThreadExceptionResponse handle(Throwable exception) {
        long now = System.currentTimeMillis();
        if (now - lastFailure.getAndSet(now) > QUIET_RESET.toMillis()) {
            consecutive.set(0);
        }
        int attempt = consecutive.incrementAndGet();
        Duration pause = PAUSES.jitteredBackoff(attempt);
        if (isTransient(exception)) {
            // Quiet: one line per attempt, no stack trace; the cause is known and retrying is the remedy.
            LOG.warn("Stream thread failed on a transient fault (attempt {}), replacing it in {} ms: {}", attempt,
                    pause.toMillis(), rootMessage(exception));
        } else {
            LOG.error("Stream thread failed (attempt {}), replacing it in {} ms", attempt, pause.toMillis(), exception);
        }
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    static boolean isTransient(Throwable exception) {
        if (DeserializationFailure.isTransient(exception)) {
            return true;
        }
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetriableException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable exception) {
        Throwable root = exception;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
