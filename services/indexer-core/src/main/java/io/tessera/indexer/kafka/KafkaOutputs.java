package io.tessera.indexer.kafka;

import io.tessera.events.MediaIndexed;
import io.tessera.indexer.DeadLetter;
import io.tessera.indexer.Outputs;
import io.tessera.serde.SpecificAvroSerializer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@link Outputs} on one idempotent producer: {@code MediaIndexed} events in the Confluent wire format (schema
 * registered or looked up under TopicNameStrategy), dead letters as the original bytes with their headers.
 * A registry or broker that cannot be reached fails the returned future (transient: the pipeline retries).
 */
public final class KafkaOutputs implements Outputs {

    private final KafkaProducer<byte[], byte[]> producer;
    private final SpecificAvroSerializer<MediaIndexed> serializer = new SpecificAvroSerializer<>();
    private final String indexedTopic;

    /**
     * @param producerConfig at least {@code bootstrap.servers}
     * @param serdeConfig    the serializer's configuration: {@code schema.registry.url} and friends
     */
    public KafkaOutputs(Map<String, Object> producerConfig, Map<String, Object> serdeConfig, String indexedTopic,
                        String clientId) {
        Map<String, Object> props = new HashMap<>(producerConfig);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 2);
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.serializer.configure(serdeConfig, false);
        this.indexedTopic = indexedTopic;
    }

    @Override
    public CompletableFuture<Void> indexed(MediaIndexed event) {
        try {
            byte[] value = serializer.serialize(indexedTopic, event);
            return send(new ProducerRecord<>(indexedTopic, event.getMediaId().getBytes(StandardCharsets.UTF_8), value));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Void> deadLetter(DeadLetter letter) {
        return send(new ProducerRecord<>(letter.topic(), null, letter.key(), letter.value(), letter.headers()));
    }

    private CompletableFuture<Void> send(ProducerRecord<byte[], byte[]> record) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    done.completeExceptionally(error);
                } else {
                    done.complete(null);
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    /** The producer, for binding its client metrics. */
    public KafkaProducer<byte[], byte[]> producer() {
        return producer;
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(10));
        serializer.close();
    }
}
