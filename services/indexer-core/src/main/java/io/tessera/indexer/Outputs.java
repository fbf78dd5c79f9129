package io.tessera.indexer;

import io.tessera.events.MediaIndexed;
import java.util.concurrent.CompletableFuture;

/**
 * Where the pipeline's results go besides Milvus: the {@code media.indexed} events and the dead letters. The
 * production implementation is {@link io.tessera.indexer.kafka.KafkaOutputs}; unit tests collect into lists.
 * <p>
 * A returned future completes once the record is durably accepted (Kafka: acknowledged by the brokers); it fails
 * with a transient exception (registry or Kafka unreachable) that the pipeline retries with backoff.
 */
public interface Outputs extends AutoCloseable {

    /** Publishes one outcome event, keyed by its mediaId. */
    CompletableFuture<Void> indexed(MediaIndexed event);

    /** Publishes a dead letter. */
    CompletableFuture<Void> deadLetter(DeadLetter letter);

    @Override
    default void close() {
    }
}
