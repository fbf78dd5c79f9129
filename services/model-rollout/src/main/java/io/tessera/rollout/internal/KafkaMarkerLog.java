package io.tessera.rollout.internal;

import io.tessera.rollout.MarkerLog;
import io.tessera.rollout.RolloutMarker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Writes markers to models.rollout (acks=all, idempotent) and waits for the broker's acknowledgement. */
public final class KafkaMarkerLog implements MarkerLog, AutoCloseable {

    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;

    public KafkaMarkerLog(String topic, Map<String, Object> kafka, String clientId) {
        this.topic = topic;
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public void publish(RolloutMarker marker) {
        try {
            producer.send(new ProducerRecord<>(topic, marker.key().getBytes(StandardCharsets.UTF_8),
                    MarkerCodec.encode(marker))).get(Duration.ofSeconds(40).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while recording " + marker.key(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("cannot record " + marker.key() + " in " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
