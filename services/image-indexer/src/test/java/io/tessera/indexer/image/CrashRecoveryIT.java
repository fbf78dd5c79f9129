package io.tessera.indexer.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.IndexStatus;
import io.tessera.events.InlineBytes;
import io.tessera.events.MediaArrived;
import io.tessera.events.MediaIndexed;
import io.tessera.events.Modality;
import io.tessera.events.Topics;
import io.tessera.media.ImageEncoder;
import io.tessera.registry.RegistryConfig;
import io.tessera.serde.SerdeConfig;
import io.tessera.serde.SpecificAvroDeserializer;
import io.tessera.serde.SpecificAvroSerializer;
import io.tessera.testing.LocalStackExtension;
import io.tessera.testing.StackEndpoints;
import io.tessera.vectorstore.CollectionNaming;
import io.tessera.vectorstore.RowFilter;
import io.tessera.vectorstore.VectorStore;
import io.tessera.vectorstore.VectorStoreConfig;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * kill -9 of the running image-indexer in the middle of a stream of 500 items, then a restart: every item ends up in
 * Milvus exactly once (row counts exact), none missing, none duplicated, nothing dead-lettered.
 */
@ExtendWith(LocalStackExtension.class)
class CrashRecoveryIT {

    private static final int ITEMS = 500;

    @Test
    void killedMidStreamAndRestartedEveryItemIsInMilvusExactlyOnce(StackEndpoints stack) throws Exception {
        String id = "crash" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String prefix = id + "-";
        CollectionNaming naming = new CollectionNaming(id + "_");
        String source = Topics.withPrefix(prefix, Topics.MEDIA_IMAGE);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(source, 3, (short) 1),
                    new NewTopic(Topics.withPrefix(prefix, Topics.MEDIA_INDEXED), 1, (short) 1),
                    new NewTopic(Topics.withPrefix(prefix, Topics.MEDIA_DLQ), 1, (short) 1))).all().get();
        }
        Set<String> indexed = ConcurrentHashMap.newKeySet();
        AtomicInteger events = new AtomicInteger();
        AtomicInteger dlq = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean reading = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread reader = Thread.ofPlatform().daemon()
                .start(() -> readOutcomes(stack, prefix, indexed, events, dlq, reading));
        AtomicInteger published = new AtomicInteger();
        VectorStore store = VectorStore.connect(VectorStoreConfig.defaults(stack.milvusUri()).withNaming(naming));
        try (IndexerProcess indexer = new IndexerProcess(stack, prefix, id + "_")) {
            indexer.start(Duration.ofSeconds(120));
            // A steady stream, so that the kill lands while records are being decoded, embedded and written.
            Thread publisher = Thread.ofPlatform().start(() -> publish(stack, source, published));

            await().atMost(Duration.ofSeconds(120)).until(() -> indexed.size() >= 100);
            indexer.kill();
            int atKill = indexed.size();
            int publishedAtKill = published.get();
            assertThat(atKill).as("killed mid-stream").isLessThan(ITEMS);

            indexer.start(Duration.ofSeconds(120));
            publisher.join();
            await().atMost(Duration.ofSeconds(180)).until(() -> indexed.size() == ITEMS);
            System.err.printf("[crash-it] killed with %d of %d published items indexed; %d INDEXED events in all%n",
                    atKill, publishedAtKill, events.get());

            String collection = naming.collection("tessera-tiny", 1);
            assertThat(store.count(collection, RowFilter.all())).isEqualTo(ITEMS);
            for (int i = 0; i < ITEMS; i++) {
                assertThat(store.count(collection, RowFilter.all().andMediaId(mediaId(i)))).as(mediaId(i)).isEqualTo(1);
            }
            assertThat(dlq.get()).isZero();
        } finally {
            reading.set(false);
            reader.join(10_000);
            for (var c : store.listCollections("tessera-tiny")) {
                store.dropAlias(c.alias());
                store.dropCollection(c.collection());
            }
            store.close();
        }
    }

    private static String mediaId(int i) {
        return "crash-item-" + i;
    }

    private static void publish(StackEndpoints stack, String topic, AtomicInteger published) {
        SpecificAvroSerializer<MediaArrived> values = new SpecificAvroSerializer<>();
        values.configure(Map.of(RegistryConfig.URL, stack.registryUrl()), false);
        try (KafkaProducer<String, MediaArrived> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), values)) {
            for (int i = 0; i < ITEMS; i++) {
                MediaArrived event = MediaArrived.newBuilder().setMediaId(mediaId(i)).setTenant("t" + (i % 3))
                        .setModality(Modality.IMAGE).setContentType("image/jpeg")
                        .setContent(new InlineBytes(ByteBuffer.wrap(jpeg(i)))).setInstruction(null)
                        .setAttributes(Map.of("n", Integer.toString(i))).setOccurredAt(Instant.now()).build();
                producer.send(new ProducerRecord<>(topic, event.getMediaId(), event)).get();
                published.incrementAndGet();
                if (i % 10 == 9) {
                    // ~100 items/s: the stream outlasts the kill and the restart
                    java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] jpeg(int i) throws java.io.IOException {
        BufferedImage image = new BufferedImage(96, 72, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(Color.HSBtoRGB(i / (float) ITEMS, 0.8f, 0.9f)));
        g.fillRect(0, 0, 96, 72);
        g.setColor(new Color((i * 7919) & 0xffffff));
        g.fillOval(i % 60, (i / 3) % 40, 30, 30);
        g.dispose();
        return ImageEncoder.encode(image, ImageEncoder.Format.JPEG);
    }

    private static void readOutcomes(StackEndpoints stack, String prefix, Set<String> indexed, AtomicInteger events,
                                     AtomicInteger dlq, java.util.concurrent.atomic.AtomicBoolean reading) {
        SpecificAvroDeserializer<MediaIndexed> values = new SpecificAvroDeserializer<>();
        values.configure(Map.of(RegistryConfig.URL, stack.registryUrl(), SerdeConfig.SPECIFIC_AVRO_VALUE_TYPE,
                MediaIndexed.class), false);
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, prefix + "reader", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, MediaIndexed> consumer = new KafkaConsumer<>(props, new StringDeserializer(), values);
             KafkaConsumer<String, String> dead = new KafkaConsumer<>(props, new StringDeserializer(),
                     new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.withPrefix(prefix, Topics.MEDIA_INDEXED)));
            dead.subscribe(List.of(Topics.withPrefix(prefix, Topics.MEDIA_DLQ)));
            while (reading.get()) {
                for (var r : consumer.poll(Duration.ofMillis(100))) {
                    events.incrementAndGet();
                    if (r.value().getStatus() == IndexStatus.INDEXED) {
                        indexed.add(r.value().getMediaId());
                    }
                }
                dlq.addAndGet(dead.poll(Duration.ofMillis(10)).count());
            }
        }
    }
}
