package io.tessera.indexer.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.InlineBytes;
import io.tessera.events.MediaArrived;
import io.tessera.events.Modality;
import io.tessera.events.Topics;
import io.tessera.registry.RegistryConfig;
import io.tessera.serde.SpecificAvroSerializer;
import io.tessera.stack.StackPart;
import io.tessera.testing.PrivateStack;
import io.tessera.testing.StackEndpoints;
import io.tessera.vectorstore.CollectionNaming;
import io.tessera.vectorstore.RowFilter;
import io.tessera.vectorstore.VectorStore;
import io.tessera.vectorstore.VectorStoreConfig;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry restarted under a running image indexer, the indexer itself restarted while the registry is down (so
 * it must look its schemas up again from a registry that is coming back), then the whole stack restarted: every item
 * published before, during and after is indexed exactly once, none is dead-lettered. On a stack of its own, since it
 * stops and starts the parts.
 */
class RegistryRestartIT {

    private static final int PER_PHASE = 60;

    @Test
    void everyItemPublishedAcrossRegistryAndStackRestartsIsIndexedAndNoneDeadLettered(@TempDir Path home)
            throws Exception {
        String id = "regrestart";
        String prefix = id + "-";
        CollectionNaming naming = new CollectionNaming(id + "_");
        try (PrivateStack stack = PrivateStack.in(home).up()) {
            StackEndpoints endpoints = stack.endpoints();
            String source = Topics.withPrefix(prefix, Topics.MEDIA_IMAGE);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", endpoints.kafkaBootstrap()))) {
                admin.createTopics(List.of(new NewTopic(source, 3, (short) 1),
                        new NewTopic(Topics.withPrefix(prefix, Topics.MEDIA_INDEXED), 1, (short) 1),
                        new NewTopic(Topics.withPrefix(prefix, Topics.MEDIA_DLQ), 1, (short) 1))).all().get();
            }
            Set<String> indexed = ConcurrentHashMap.newKeySet();
            AtomicInteger dlq = new AtomicInteger();
            AtomicBoolean reading = new AtomicBoolean(true);
            Thread reader = Thread.ofPlatform().daemon()
                    .start(() -> ItMedia.readOutcomes(endpoints, prefix, indexed, new AtomicInteger(), dlq, reading));
            Path indexerLog;
            try (IndexerProcess indexer = new IndexerProcess(endpoints, prefix, id + "_");
                 Publisher publisher = new Publisher(endpoints, source)) {
                indexerLog = indexer.log();
                indexer.start(Duration.ofSeconds(120));

                publisher.publish(0, PER_PHASE);
                await().atMost(Duration.ofSeconds(120)).until(() -> indexed.size() == PER_PHASE);

                // The registry goes away; the indexer is restarted meanwhile (it leaves its group cleanly, so the
                // new one is assigned the partitions at once) and meets the new records with empty caches.
                stack.down(StackPart.REGISTRY);
                indexer.close();
                publisher.publish(PER_PHASE, PER_PHASE);
                indexer.start(Duration.ofSeconds(120));
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(indexer.log())
                        .contains("GET /schemas/ids/"));
                assertThat(indexed).hasSize(PER_PHASE);
                stack.up();
                await().atMost(Duration.ofSeconds(180)).until(() -> indexed.size() == 2 * PER_PHASE);
                assertThat(dlq.get()).as("dead letters after the registry restart").isZero();

                // Then the whole stack, with items published just before and just after.
                publisher.publish(2 * PER_PHASE, PER_PHASE / 2);
                stack.restart();
                publisher.publish(2 * PER_PHASE + PER_PHASE / 2, PER_PHASE / 2);
                publisher.publish(3 * PER_PHASE, PER_PHASE);
                await().atMost(Duration.ofSeconds(240)).until(() -> indexed.size() == 4 * PER_PHASE);
            } finally {
                reading.set(false);
                reader.join(10_000);
            }
            assertThat(dlq.get()).as("dead letters").isZero();
            try (VectorStore store = VectorStore.connect(VectorStoreConfig.defaults(endpoints.milvusUri())
                    .withNaming(naming))) {
                String collection = naming.collection("tessera-tiny", 1);
                long rows = store.count(collection, RowFilter.all());
                if (rows != 4 * PER_PHASE) {
                    // Every item had its INDEXED event, so a missing row is a lost write: name it and show what the
                    // indexer logged about it, for whoever meets this.
                    List<String> missing = IntStream.range(0, 4 * PER_PHASE).mapToObj(RegistryRestartIT::mediaId)
                            .filter(m -> store.count(collection, RowFilter.all().andMediaId(m)) == 0).toList();
                    String lines = Files.readAllLines(indexerLog).stream()
                            .filter(l -> missing.stream().anyMatch(l::contains)).collect(Collectors.joining("\n"));
                    org.junit.jupiter.api.Assertions.fail(rows + " rows instead of " + 4 * PER_PHASE + ": none for "
                            + missing + ", though each was reported INDEXED. The indexer's lines about them ("
                            + indexerLog + "):\n" + lines);
                }
            }
        }
    }

    private static String mediaId(int i) {
        return "restart-item-" + i;
    }

    /** One producer for the whole test: its serializer caches the schema id, as a running media-catalog does. */
    private static final class Publisher implements AutoCloseable {
        private final KafkaProducer<String, MediaArrived> producer;
        private final String topic;

        Publisher(StackEndpoints stack, String topic) {
            SpecificAvroSerializer<MediaArrived> values = new SpecificAvroSerializer<>();
            values.configure(Map.of(RegistryConfig.URL, stack.registryUrl()), false);
            this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                    ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_BLOCK_MS_CONFIG, 120_000),
                    new StringSerializer(), values);
            this.topic = topic;
        }

        void publish(int from, int count) throws Exception {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (int i = from; i < from + count; i++) {
                MediaArrived event = MediaArrived.newBuilder().setMediaId(mediaId(i)).setTenant("t" + (i % 3))
                        .setModality(Modality.IMAGE).setContentType("image/jpeg")
                        .setContent(new InlineBytes(ByteBuffer.wrap(ItMedia.jpeg(i, 240)))).setInstruction(null)
                        .setAttributes(Map.of("n", Integer.toString(i))).setOccurredAt(Instant.now()).build();
                sent.add(producer.send(new ProducerRecord<>(topic, event.getMediaId(), event)));
            }
            for (var f : sent) {
                f.get();
            }
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(10));
        }
    }
}
