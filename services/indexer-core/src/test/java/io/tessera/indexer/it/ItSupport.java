package io.tessera.indexer.it;

import io.tessera.embedding.Device;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.RuntimeConfig;
import io.tessera.embedding.model.DefaultModels;
import io.tessera.embedding.model.LocalModelStore;
import io.tessera.events.MediaArrived;
import io.tessera.events.MediaIndexed;
import io.tessera.registry.RegistryConfig;
import io.tessera.serde.SerdeConfig;
import io.tessera.serde.SpecificAvroDeserializer;
import io.tessera.serde.SpecificAvroSerializer;
import io.tessera.testing.StackEndpoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the integration tests share: the model, unique names, topics, a publisher and a collector of outcomes. */
public final class ItSupport {

    private static EmbeddingRuntime runtime;

    private ItSupport() {
    }

    /** One runtime per test JVM (the bundled default model from the project's model store). */
    public static synchronized EmbeddingRuntime runtime() {
        if (runtime == null) {
            runtime = EmbeddingRuntime.start(DefaultModels.tesseraTiny(), RuntimeConfig.defaults().withDevice(Device.CPU));
            EmbeddingRuntime r = runtime;
            Runtime.getRuntime().addShutdownHook(new Thread(r::close));
        }
        return runtime;
    }

    public static LocalModelStore models() {
        return DefaultModels.defaultStore();
    }

    /** A short unique name part: letters and digits only (valid in topics and Milvus names). */
    public static String unique(String base) {
        return base + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    public static void createTopics(StackEndpoints stack, int partitions, List<String> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            List<NewTopic> create = topics.stream().map(t -> new NewTopic(t, partitions, (short) 1)).toList();
            try {
                admin.createTopics(create).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException(e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Publishes MediaArrived events as any Confluent-compatible client would. */
    public static KafkaProducer<String, MediaArrived> producer(StackEndpoints stack) {
        SpecificAvroSerializer<MediaArrived> values = new SpecificAvroSerializer<>();
        values.configure(Map.of(RegistryConfig.URL, stack.registryUrl()), false);
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), values);
    }

    public static KafkaProducer<byte[], byte[]> rawProducer(StackEndpoints stack) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    public static void send(KafkaProducer<String, MediaArrived> producer, String topic, MediaArrived event) {
        try {
            producer.send(new ProducerRecord<>(topic, event.getMediaId(), event)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads media.indexed and the DLQ (from the beginning) in the background and keeps what it read. */
    public static final class Outcomes implements AutoCloseable {
        public final List<MediaIndexed> events = new CopyOnWriteArrayList<>();
        public final List<ConsumerRecord<byte[], byte[]>> deadLetters = new CopyOnWriteArrayList<>();
        private final Thread thread;
        private volatile boolean running = true;

        public Outcomes(StackEndpoints stack, String indexedTopic, String dlqTopic) {
            SpecificAvroDeserializer<MediaIndexed> values = new SpecificAvroDeserializer<>();
            values.configure(Map.of(RegistryConfig.URL, stack.registryUrl(), SerdeConfig.SPECIFIC_AVRO_VALUE_TYPE,
                    MediaIndexed.class), false);
            Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                    ConsumerConfig.GROUP_ID_CONFIG, unique("outcomes"),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            KafkaConsumer<String, MediaIndexed> indexed = new KafkaConsumer<>(props, new StringDeserializer(), values);
            KafkaConsumer<byte[], byte[]> dlq = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            indexed.subscribe(List.of(indexedTopic));
            dlq.subscribe(List.of(dlqTopic));
            thread = Thread.ofPlatform().daemon().name("it-outcomes").start(() -> {
                try (indexed; dlq) {
                    while (running) {
                        indexed.poll(Duration.ofMillis(100)).forEach(r -> events.add(r.value()));
                        dlq.poll(Duration.ofMillis(20)).forEach(deadLetters::add);
                    }
                }
            });
        }

        public List<MediaIndexed> eventsFor(String mediaId) {
            List<MediaIndexed> out = new ArrayList<>();
            for (MediaIndexed e : events) {
                if (e.getMediaId().equals(mediaId)) {
                    out.add(e);
                }
            }
            return out;
        }

        public String header(ConsumerRecord<byte[], byte[]> r, String name) {
            var h = r.headers().lastHeader(name);
            return h == null || h.value() == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5000);
        }
    }
}
