package io.tessera.demo.run;

import io.tessera.registry.RegistryConfig;
import io.tessera.registry.SchemaRegistries;
import io.tessera.serde.SpecificAvroDeserializer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic from its beginning on a background thread and hands every record to a handler, without a consumer
 * group (partitions are assigned, nothing is committed): the demo only watches what the services produce.
 */
final class TopicFollower<T extends SpecificRecord> implements AutoCloseable {

    private final KafkaConsumer<String, T> consumer;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    TopicFollower(String bootstrapServers, String registryUrl, String topic, Class<T> type,
                  Consumer<ConsumerRecord<String, T>> handler) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.CLIENT_ID_CONFIG, "tessera-demo-" + topic,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new SpecificAvroDeserializer<>(SchemaRegistries.shared(RegistryConfig.of(registryUrl)), type));
        this.thread = new Thread(() -> loop(topic, handler), "tessera-demo-follow-" + topic);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void loop(String topic, Consumer<ConsumerRecord<String, T>> handler) {
        try {
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty()) {
                // The services create their topics at start; until then there is nothing to read.
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                if (partitions.isEmpty()) {
                    Thread.sleep(500);
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, T> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() != null) {
                        handler.accept(r);
                    }
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            failure.set(e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Throws what stopped the reader, if anything did (a broker or registry failure). */
    void check(String step) {
        Throwable t = failure.get();
        if (t != null) {
            throw new DemoFailedException(step, "reading events failed: " + t.getMessage(), t);
        }
    }

    @Override
    public void close() {
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
