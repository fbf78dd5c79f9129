package io.tessera.indexer.internal;

import io.tessera.embedding.EmbeddingException;
import io.tessera.embedding.InvalidInputException;
import io.tessera.embedding.model.ModelStoreException;
import io.tessera.indexer.DependencyHealth.Dependency;
import io.tessera.media.MediaRejectedException;
import io.tessera.media.TransientMediaException;
import io.tessera.registry.RegistryUnavailableException;
import io.tessera.serde.PoisonPillException;
import io.tessera.vectorstore.InvalidVectorDataException;
import io.tessera.vectorstore.VectorStoreException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Sorts every failure into the three ways the pipeline treats it: a poison pill (dead-letter at once), a transient
 * fault of a named dependency (retry with backoff, for as long as it takes) or something unexpected (a bug: retried
 * a few times, then dead-lettered as INTERNAL_ERROR so that one bad record cannot stop a partition forever).
 * Classification looks through the whole cause chain, since libraries wrap each other's exceptions.
 */
public final class Failures {

    /** How to treat one failure. */
    public sealed interface Kind {
    }

    /** Content that can never be indexed. */
    public record Poison(String reasonCode, String message, Throwable cause) implements Kind {
    }

    /** A dependency is down or overloaded: retry later. */
    public record Transient(Dependency dependency, Throwable cause) implements Kind {
    }

    /** The pipeline is closing: leave the record unfinished. */
    public record Closed(Throwable cause) implements Kind {
    }

    /** Anything else. */
    public record Unexpected(Throwable cause) implements Kind {
    }

    private Failures() {
    }

    public static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** The same verdict in the shared retry's terms (io.tessera.retry.Fault), for {@link Retrier}. */
    public static io.tessera.retry.Fault fault(Throwable failure) {
        return switch (classify(failure)) {
            case Poison p -> new io.tessera.retry.Fault.Poison(p.reasonCode(), p.message(), p.cause());
            case Transient t -> new io.tessera.retry.Fault.Transient(t.dependency().name(), t.cause());
            case Closed c -> new io.tessera.retry.Fault.Closed(c.cause());
            case Unexpected u -> new io.tessera.retry.Fault.Unexpected(u.cause());
        };
    }

    public static Kind classify(Throwable failure) {
        Throwable top = unwrap(failure);
        for (Throwable t = top; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Kind kind = direct(t);
            if (kind != null) {
                return kind;
            }
        }
        return new Unexpected(top);
    }

    private static Kind direct(Throwable t) {
        if (t instanceof PipelineClosedException || t instanceof CancellationException
                || t instanceof InterruptedException) {
            return new Closed(t);
        }
        if (t instanceof PoisonPillException pill) {
            return new Poison(pill.reason().name(), pill.detail(), pill);
        }
        if (t instanceof RegistryUnavailableException) {
            return new Transient(Dependency.SCHEMA_REGISTRY, t);
        }
        if (t instanceof org.apache.kafka.common.errors.SerializationException
                && t.getCause() instanceof io.tessera.registry.RegistryRequestException) {
            // Writing an event failed because the registry refused the schema (not registered with
            // auto-registration off, or incompatible): an operator must fix it, no record is at fault.
            return new Transient(Dependency.SCHEMA_REGISTRY, t);
        }
        if (t instanceof MediaRejectedException rejected) {
            return new Poison(rejected.reasonCode(), rejected.getMessage(), rejected);
        }
        if (t instanceof TransientMediaException) {
            return new Transient(Dependency.MEDIA_SOURCE, t);
        }
        if (t instanceof ItemRejectedException rejected) {
            return new Poison(rejected.reasonCode(), rejected.getMessage(), rejected);
        }
        if (t instanceof InvalidVectorDataException invalid) {
            return new Poison("INVALID_ITEM", invalid.getMessage(), invalid);
        }
        if (t instanceof VectorStoreException) {
            // Permanent store errors other than bad data (a schema mismatch, a dropped collection) are operational
            // problems, not the record's fault: they stall like an outage until someone fixes them.
            return new Transient(Dependency.MILVUS, t);
        }
        if (t instanceof InvalidInputException invalid) {
            return new Poison("INVALID_INPUT", invalid.getMessage(), invalid);
        }
        if (t instanceof ModelStoreException store && store.isRetriable()) {
            return new Transient(Dependency.MODEL_STORE, t);
        }
        if (t instanceof EmbeddingException embedding && embedding.isRetriable()) {
            return new Transient(Dependency.EMBEDDING, t);
        }
        if (t instanceof org.apache.kafka.common.errors.RetriableException) {
            return new Transient(Dependency.KAFKA, t);
        }
        return null;
    }
}
