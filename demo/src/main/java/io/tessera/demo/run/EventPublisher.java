package io.tessera.demo.run;

import io.tessera.events.KafkaConnection;
import io.tessera.registry.RegistryConfig;
import io.tessera.registry.SchemaRegistries;
import io.tessera.serde.SpecificAvroSerializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes Avro events in the Confluent wire format (Tessera's serde, schemas registered under the topic's
 * subject), idempotently and with {@code acks=all}: a record is counted once the broker has it.
 */
public final class EventPublisher<T extends SpecificRecord> implements AutoCloseable {

    /** A key and its event. */
    public record Keyed<T>(String key, T value) {
    }

    private final KafkaProducer<String, T> producer;

    /** To a plaintext broker (the local stack). */
    public EventPublisher(String bootstrapServers, String registryUrl, String clientId, int maxRequestBytes) {
        this(KafkaConnection.plaintext(bootstrapServers), registryUrl, clientId, maxRequestBytes);
    }

    public EventPublisher(KafkaConnection kafka, String registryUrl, String clientId, int maxRequestBytes) {
        Map<String, Object> config = kafka.clientConfig(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequestBytes));
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new SpecificAvroSerializer<>(
                SchemaRegistries.shared(RegistryConfig.of(registryUrl)), Map.of(), false));
    }

    /**
     * Sends every record and waits until the broker acknowledged all of them.
     *
     * @param acknowledged called with the running count of acknowledged records (from the producer's thread)
     * @return how many were acknowledged
     * @throws PublishException naming the first record that failed
     */
    public int publish(String topic, List<Keyed<T>> records, IntConsumer acknowledged) {
        AtomicInteger done = new AtomicInteger();
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        for (Keyed<T> r : records) {
            sent.add(producer.send(new ProducerRecord<>(topic, r.key(), r.value()), (metadata, error) -> {
                if (error == null) {
                    acknowledged.accept(done.incrementAndGet());
                }
            }));
        }
        producer.flush();
        for (int i = 0; i < sent.size(); i++) {
            try {
                sent.get(i).get();
            } catch (ExecutionException e) {
                throw new PublishException("publishing " + records.get(i).key() + " to " + topic + " failed: "
                        + e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PublishException("interrupted while publishing to " + topic, e);
            }
        }
        return done.get();
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(10));
    }

    /** A record could not be published (the broker or the registry refused it or could not be reached). */
    public static final class PublishException extends RuntimeException {
        public PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
