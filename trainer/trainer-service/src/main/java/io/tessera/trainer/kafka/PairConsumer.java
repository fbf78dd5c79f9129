package io.tessera.trainer.kafka;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.tessera.events.CuratedPair;
import io.tessera.serde.DeadLetterHeaders;
import io.tessera.serde.DeserializationFailure;
import io.tessera.serde.PoisonPillException;
import io.tessera.retry.Fault;
import io.tessera.retry.RetryPolicy;
import io.tessera.serde.SpecificAvroDeserializer;
import io.tessera.trainer.Retries;
import io.tessera.trainer.TrainerService;
import io.tessera.trainer.store.PairStore;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code pairs.curated}. The channel delivers the raw bytes and this class runs the schemas' Avro
 * deserializer itself, so that (1) a poison pill is dead-lettered with its original bytes and a reason, (2) a schema
 * registry that is down is waited out here, holding the record, instead of failing the channel, and (3) a pair is
 * acknowledged (its offset becomes committable) only once it is on disk in the {@link PairStore}. The channel never
 * stops: every record ends as stored or dead-lettered.
 */
@ApplicationScoped
public class PairConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(PairConsumer.class);

    @Inject
    TrainerService service;

    @ConfigProperty(name = "tessera.registry.url", defaultValue = "http://127.0.0.1:8081/apis/ccompat/v7")
    String registryUrl;

    private SpecificAvroDeserializer<CuratedPair> deserializer;

    @PostConstruct
    void init() {
        deserializer = new SpecificAvroDeserializer<>();
        deserializer.configure(Map.of("schema.registry.url", registryUrl,
                "specific.avro.value.type", CuratedPair.class), false);
    }

    @Incoming("pairs")
    @Blocking(ordered = true)
    public CompletionStage<Void> consume(Message<byte[]> message) {
        IncomingKafkaRecordMetadata<?, ?> meta = message.getMetadata(IncomingKafkaRecordMetadata.class).orElseThrow();
        String where = meta.getTopic() + "-" + meta.getPartition() + "@" + meta.getOffset();
        CuratedPair pair;
        try {
            pair = deserialize(meta.getTopic(), message.getPayload());
        } catch (PoisonPillException e) {
            return deadLetter(message, where, e.getMessage(), e);
        }
        if (pair == null) {
            return deadLetter(message, where, "a tombstone (null value): pairs are replaced by republishing, not deleted",
                    new InvalidPairException("tombstone"));
        }
        String problem = PairValidation.problem(pair, service.settings().maxPairBytes());
        if (problem != null) {
            return deadLetter(message, where, problem, new InvalidPairException(problem));
        }
        PairStore.Outcome outcome = service.store(pair, meta.getPartition(), meta.getOffset());
        service.engine().onPairStored(outcome);
        return message.ack();
    }

    /** Deserializes, waiting out an unavailable registry (transient: never dead-lettered). */
    private CuratedPair deserialize(String topic, byte[] bytes) {
        try {
            return Retries.untilDone("pair-deserialize", REGISTRY_WAIT,
                    t -> t instanceof PoisonPillException ? new Fault.Poison("UNDECODABLE_PAYLOAD", t.getMessage(), t)
                            : t instanceof RuntimeException && DeserializationFailure.isTransient(t)
                            ? new Fault.Transient("SCHEMA_REGISTRY", t) : null,
                    (fault, wait) -> LOG.warn("schema registry unavailable ({}); retrying the record in {} ms",
                            fault.cause().getMessage(), wait.toMillis()),
                    () -> deserializer.deserialize(topic, new RecordHeaders(), bytes));
        } catch (PoisonPillException e) {
            throw e;
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw e;
            }
            throw new PoisonPillException(topic, PoisonPillException.Reason.UNDECODABLE_PAYLOAD, null,
                    String.valueOf(e.getMessage()), e);
        }
    }

    private static final RetryPolicy REGISTRY_WAIT = RetryPolicy.unbounded(Duration.ofMillis(200), Duration.ofSeconds(10));

    private CompletionStage<Void> deadLetter(Message<byte[]> message, String where, String reason, Throwable cause) {
        LOG.warn("dead-lettering {}: {}", where, reason);
        service.engine().onDeadLettered();
        RecordHeaders extra = new RecordHeaders();
        extra.add(DeadLetterHeaders.SERVICE, service.settings().serviceName().getBytes(StandardCharsets.UTF_8));
        OutgoingKafkaRecordMetadata<Object> dlq = OutgoingKafkaRecordMetadata.builder().withHeaders(extra).build();
        return message.nack(cause, Metadata.of(dlq));
    }

    /** A pair that decodes but cannot be trained on. */
    public static final class InvalidPairException extends RuntimeException {
        public InvalidPairException(String message) {
            super(message);
        }
    }
}
