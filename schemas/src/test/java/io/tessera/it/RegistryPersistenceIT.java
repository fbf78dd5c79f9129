package io.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.events.InlineBytes;
import io.tessera.events.MediaArrived;
import io.tessera.events.Modality;
import io.tessera.registry.RegistryConfig;
import io.tessera.serde.SerdeConfig;
import io.tessera.serde.SpecificAvroDeserializer;
import io.tessera.serde.SpecificAvroSerializer;
import io.tessera.stack.StackPart;
import io.tessera.stack.StackConfig;
import io.tessera.testing.PrivateStack;
import io.tessera.testing.StackEndpoints;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema ids outlive the registry: records written before a restart of the registry, and before a restart of the
 * whole stack, are read back afterwards by a fresh client (no cached schemas) with the ids they carry. On a stack of
 * its own, since it stops and starts the parts.
 */
class RegistryPersistenceIT {

    private static final String TOPIC = "persistence.media.arrived";
    private static final int RECORDS = 20;

    @Test
    void recordsWrittenBeforeRestartsAreReadAfterThemWithTheIdsTheyCarry(@TempDir Path home) throws Exception {
        try (PrivateStack stack = PrivateStack.in(home).up()) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.endpoints().kafkaBootstrap()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            }
            List<MediaArrived> written = write(stack.endpoints(), 0, RECORDS);
            List<Integer> ids = schemaIds(stack.endpoints());
            assertThat(ids).hasSize(RECORDS).allMatch(id -> id.equals(ids.get(0)));
            assertJournalKeptForever(stack.endpoints());

            stack.restart(StackPart.REGISTRY);
            assertThat(read(stack.endpoints())).isEqualTo(written);

            stack.restart();
            assertThat(schemaIds(stack.endpoints())).isEqualTo(ids);
            assertThat(read(stack.endpoints())).isEqualTo(written);

            // Writers after the restart get the same id for the same schema: old and new records mix freely.
            List<MediaArrived> later = write(stack.endpoints(), RECORDS, 5);
            assertThat(schemaIds(stack.endpoints())).hasSize(RECORDS + 5).allMatch(id -> id.equals(ids.get(0)));
            List<MediaArrived> all = new ArrayList<>(written);
            all.addAll(later);
            assertThat(read(stack.endpoints())).isEqualTo(all);
        }
    }

    private static void assertJournalKeptForever(StackEndpoints stack) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrap()))) {
            ConfigResource journal = new ConfigResource(ConfigResource.Type.TOPIC, StackConfig.REGISTRY_JOURNAL_TOPIC);
            var config = admin.describeConfigs(List.of(journal)).all().get().get(journal);
            assertThat(config.get("retention.ms").value()).isEqualTo("-1");
            assertThat(config.get("retention.bytes").value()).isEqualTo("-1");
            assertThat(admin.describeTopics(List.of(StackConfig.REGISTRY_JOURNAL_TOPIC)).allTopicNames().get()
                    .get(StackConfig.REGISTRY_JOURNAL_TOPIC).partitions()).hasSize(1);
        }
    }

    private static List<MediaArrived> write(StackEndpoints stack, int from, int count) throws Exception {
        SpecificAvroSerializer<MediaArrived> values = new SpecificAvroSerializer<>();
        values.configure(Map.of(RegistryConfig.URL, stack.registryUrl()), false);
        List<MediaArrived> written = new ArrayList<>();
        try (KafkaProducer<String, MediaArrived> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), values)) {
            for (int i = from; i < from + count; i++) {
                MediaArrived event = MediaArrived.newBuilder().setMediaId("persist-" + i).setTenant("acme")
                        .setModality(Modality.TEXT).setContentType("text/plain")
                        .setContent(new InlineBytes(ByteBuffer.wrap(("text " + i).getBytes())))
                        .setInstruction(null).setAttributes(Map.of("i", Integer.toString(i)))
                        .setOccurredAt(Instant.ofEpochMilli(1_700_000_000_000L + i)).build();
                producer.send(new ProducerRecord<>(TOPIC, event.getMediaId(), event)).get();
                written.add(event);
            }
        }
        return written;
    }

    /** Every record's value, read by a deserializer that has never seen the registry before. */
    private static List<MediaArrived> read(StackEndpoints stack) {
        SpecificAvroDeserializer<MediaArrived> values = new SpecificAvroDeserializer<>();
        // No grace: an id the restarted registry lost must fail here, not be waited for.
        values.configure(Map.of(RegistryConfig.URL, stack.registryUrl(), RegistryConfig.UNKNOWN_ID_GRACE_MS, "0",
                SerdeConfig.SPECIFIC_AVRO_VALUE_TYPE, MediaArrived.class), false);
        List<MediaArrived> read = new ArrayList<>();
        try (KafkaConsumer<String, MediaArrived> consumer = new KafkaConsumer<>(consumerProps(stack),
                new StringDeserializer(), values)) {
            for (ConsumerRecord<String, MediaArrived> r : all(consumer)) {
                read.add(r.value());
            }
        }
        return read;
    }

    private static List<Integer> schemaIds(StackEndpoints stack) {
        List<Integer> ids = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps(stack),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (ConsumerRecord<byte[], byte[]> r : all(consumer)) {
                ids.add(ByteBuffer.wrap(r.value(), 1, 4).getInt());
            }
        }
        return ids;
    }

    private static <K, V> List<ConsumerRecord<K, V>> all(KafkaConsumer<K, V> consumer) {
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        long end = consumer.endOffsets(List.of(partition)).get(partition);
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (consumer.position(partition) < end && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    private static Map<String, Object> consumerProps(StackEndpoints stack) {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    }
}
