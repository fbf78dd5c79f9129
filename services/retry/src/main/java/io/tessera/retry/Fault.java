package io.tessera.retry;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * The ways a failure is treated, the same in every part of Tessera:
 * <ul>
 *   <li>{@link Transient}: a dependency is down or overloaded (Milvus, the schema registry, the model store, Kafka, a
 *       media server). Retried with the {@link RetryPolicy}'s backoff, for as long as it takes; never dead-lettered.</li>
 *   <li>{@link Poison}: the input can never be processed. Not retried: dead-lettered with its reason at once.</li>
 *   <li>{@link Unexpected}: none of the above (a bug). Retried a few times ({@link Retrying.Builder#unexpectedAttempts}),
 *       then surfaced, so one bad record cannot stop a partition forever.</li>
 *   <li>{@link Closed}: the caller is shutting down (interrupt, cancellation). Not retried.</li>
 * </ul>
 * Which exception is which is decided by a classifier ({@code Function<Throwable, Fault>}); {@link #classify} walks the
 * cause chain, since libraries wrap each other's exceptions.
 */
public sealed interface Fault {

    /** The failure as thrown (after unwrapping completion wrappers). */
    Throwable cause();

    /** A dependency is down or overloaded: retry later. {@code dependency} names it (for health and metrics). */
    record Transient(String dependency, Throwable cause) implements Fault {
    }

    /** Input that can never be processed; {@code reasonCode} is what a dead letter carries. */
    record Poison(String reasonCode, String message, Throwable cause) implements Fault {
    }

    /** The caller is closing: leave the work unfinished. */
    record Closed(Throwable cause) implements Fault {
    }

    /** Anything else. */
    record Unexpected(Throwable cause) implements Fault {
    }

    /** Strips {@link CompletionException} and {@link ExecutionException} wrappers. */
    static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /**
     * Classifies {@code failure} by the first exception in its cause chain that {@code direct} has a verdict for
     * ({@code null}: none). Interrupts and cancellations are {@link Closed} unless {@code direct} says otherwise;
     * a chain nobody recognises is {@link Unexpected}.
     */
    static Fault classify(Throwable failure, Function<Throwable, Fault> direct) {
        Throwable top = unwrap(failure);
        for (Throwable t = top; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Fault fault = direct.apply(t);
            if (fault != null) {
                return fault;
            }
            if (t instanceof InterruptedException || t instanceof java.util.concurrent.CancellationException) {
                return new Closed(t);
            }
        }
        return new Unexpected(top);
    }
}
