package io.tessera.catalog.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.tessera.testing.LocalStack;
import io.tessera.testing.StackEndpoints;
import io.tessera.catalog.CatalogHeaders;
import io.tessera.catalog.CatalogTopics;
import io.tessera.events.ContentReference;
import io.tessera.events.IndexStatus;
import io.tessera.events.InlineBytes;
import io.tessera.events.MediaArrived;
import io.tessera.events.MediaIndexed;
import io.tessera.events.Modality;
import io.tessera.serde.DeadLetterHeaders;
import io.tessera.serde.SpecificAvroDeserializer;
import io.tessera.serde.SpecificAvroSerializer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * media-catalog against the real stack (Kafka + Apicurio), fed the way a publisher would: Avro records in the
 * Confluent wire format on media.arrived, results read from the routed topics, the DLQ and the REST status. The
 * service under test is the packaged one (target/quarkus-app), in its own JVM.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = UniqueTopicsResource.class, restrictToAnnotatedClass = true)
class MediaCatalogIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final StackEndpoints stack = LocalStack.endpoints();
    private final String bootstrap = stack.kafkaBootstrap();
    private final String registryUrl = stack.registryUrl();

    @Test
    void publishedItemsAreRoutedDeadLetteredAndReportedByStatus() throws Exception {
        CatalogTopics topics = CatalogTopics.withPrefix(UniqueTopicsResource.prefix());
        String run = UUID.randomUUID().toString().substring(0, 8);
        String tenant = "tenant-" + run;
        await().atMost(WAIT).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));

        MediaArrived image = item("img-" + run, tenant, Modality.IMAGE, "image/png",
                new InlineBytes(ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3})));
        MediaArrived document = item("doc-" + run, tenant, Modality.DOCUMENT, "application/pdf",
                new ContentReference("file:///data/doc-" + run + ".pdf", 2048L, null));
        MediaArrived mismatched = item("bad-" + run, tenant, Modality.VIDEO, "image/jpeg",
                new InlineBytes(ByteBuffer.wrap(new byte[] {1, 2, 3})));
        byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);

        try (KafkaProducer<String, MediaArrived> avro = producer(new SpecificAvroSerializer<>());
             KafkaProducer<String, byte[]> raw = producer(new ByteArraySerializer())) {
            // The poison pill first: the good records behind it on the same partition must still flow.
            raw.send(new ProducerRecord<>(topics.arrived(), image.getMediaId(), garbage)).get();
            avro.send(new ProducerRecord<>(topics.arrived(), image.getMediaId(), image)).get();
            avro.send(new ProducerRecord<>(topics.arrived(), document.getMediaId(), document)).get();
            avro.send(new ProducerRecord<>(topics.arrived(), mismatched.getMediaId(), mismatched)).get();
            avro.send(new ProducerRecord<>(topics.arrived(), image.getMediaId(), image)).get(); // identical: no-op
        }

        try (KafkaConsumer<String, MediaArrived> routed = avroConsumer(MediaArrived.class,
                List.of(topics.image(), topics.document(), topics.catalog()))) {
            List<ConsumerRecord<String, MediaArrived>> got = pollUntil(routed, 4);
            assertThat(got).filteredOn(r -> r.topic().equals(topics.image())).extracting(ConsumerRecord::value)
                    .containsExactly(image);
            assertThat(got).filteredOn(r -> r.topic().equals(topics.document())).extracting(ConsumerRecord::value)
                    .containsExactly(document);
            assertThat(got).filteredOn(r -> r.topic().equals(topics.catalog())).extracting(ConsumerRecord::key)
                    .containsExactlyInAnyOrder(image.getMediaId(), document.getMediaId());
        }

        try (KafkaConsumer<byte[], byte[]> dlq = rawConsumer(List.of(topics.deadLetter()))) {
            List<ConsumerRecord<byte[], byte[]>> dead = pollUntil(dlq, 2);
            assertThat(dead).extracting(r -> header(r, CatalogHeaders.REASON_CODE))
                    .containsExactlyInAnyOrder("NOT_AVRO", "CONTENT_TYPE_MISMATCH");
            ConsumerRecord<byte[], byte[]> pill = dead.stream()
                    .filter(r -> "NOT_AVRO".equals(header(r, CatalogHeaders.REASON_CODE))).findFirst().orElseThrow();
            assertThat(pill.value()).isEqualTo(garbage);
            assertThat(header(pill, DeadLetterHeaders.TOPIC)).isEqualTo(topics.arrived());
            assertThat(header(pill, DeadLetterHeaders.OFFSET)).isNotNull();
            assertThat(header(pill, DeadLetterHeaders.SERVICE)).isEqualTo("media-catalog");
            assertThat(header(pill, DeadLetterHeaders.REASON)).startsWith("BAD_MAGIC_BYTE");
        }

        given().queryParam("tenant", tenant).get("/v1/media/{id}", image.getMediaId())
                .then().statusCode(200).body("status", equalTo("PENDING")).body("modality", equalTo("IMAGE"));
        given().queryParam("tenant", "someone-else").get("/v1/media/{id}", image.getMediaId()).then().statusCode(404);
        given().get("/v1/media/{id}", image.getMediaId()).then().statusCode(400)
                .body("error", containsString("tenant query parameter is required"));
        await().atMost(WAIT).untilAsserted(() -> given().queryParam("tenant", tenant)
                .get("/v1/media/{id}", mismatched.getMediaId())
                .then().statusCode(200).body("status", equalTo("FAILED"))
                .body("error", containsString("CONTENT_TYPE_MISMATCH")));

        try (KafkaProducer<String, MediaIndexed> indexer = producer(new SpecificAvroSerializer<>())) {
            indexer.send(new ProducerRecord<>(topics.indexed(), image.getMediaId(), MediaIndexed.newBuilder()
                    .setMediaId(image.getMediaId()).setTenant(tenant).setModality(Modality.IMAGE)
                    .setModelName("tessera-tiny").setModelVersion(1).setCollection("tessera_tiny_v1").setSegments(1)
                    .setStatus(IndexStatus.INDEXED).setError(null).setArrivedAt(image.getOccurredAt())
                    .setIndexedAt(Instant.now()).build())).get();
        }
        await().atMost(WAIT).untilAsserted(() -> given().queryParam("tenant", tenant)
                .get("/v1/media/{id}", image.getMediaId())
                .then().statusCode(200).body("status", equalTo("INDEXED")).body("modelVersion", equalTo(1))
                .body("segments", equalTo(1)).body("modelName", equalTo("tessera-tiny")).body("error", nullValue()));

        try (KafkaProducer<String, byte[]> raw = producer(new ByteArraySerializer());
             KafkaConsumer<String, MediaArrived> images = avroConsumer(MediaArrived.class, List.of(topics.image()))) {
            raw.send(new ProducerRecord<>(topics.arrived(), image.getMediaId(), null)).get();
            List<ConsumerRecord<String, MediaArrived>> got = pollUntil(images, 2);
            assertThat(got).extracting(ConsumerRecord::value).containsExactly(image, null);
            assertThat(header(got.get(1), CatalogHeaders.TENANT)).isEqualTo(tenant);
        }
        await().atMost(WAIT).untilAsserted(() -> given().queryParam("tenant", tenant)
                .get("/v1/media/{id}", image.getMediaId()).then().statusCode(200).body("status", equalTo("DELETED")));

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("tessera_catalog_records_total{modality=\"image\",outcome=\"accepted\"} 1.0")
                .contains("tessera_catalog_records_total{modality=\"image\",outcome=\"deduplicated\"} 1.0")
                .contains("tessera_catalog_dlq_total{reason=\"NOT_AVRO\",topic=\"" + topics.arrived() + "\"} 1.0");
    }

    private static MediaArrived item(String mediaId, String tenant, Modality modality, String contentType, Object content) {
        return MediaArrived.newBuilder().setMediaId(mediaId).setTenant(tenant).setModality(modality)
                .setContentType(contentType).setContent(content).setInstruction(null)
                .setAttributes(Map.of("origin", "it")).setOccurredAt(Instant.ofEpochMilli(System.currentTimeMillis()))
                .build();
    }

    private <V> KafkaProducer<String, V> producer(org.apache.kafka.common.serialization.Serializer<V> values) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        values.configure(Map.of("schema.registry.url", registryUrl), false);
        return new KafkaProducer<>(props, new StringSerializer(), values);
    }

    private <V extends org.apache.avro.specific.SpecificRecord> KafkaConsumer<String, V> avroConsumer(Class<V> type,
                                                                                                     List<String> topics) {
        SpecificAvroDeserializer<V> values = new SpecificAvroDeserializer<>();
        values.configure(Map.of("schema.registry.url", registryUrl, "specific.avro.value.type", type), false);
        KafkaConsumer<String, V> consumer = new KafkaConsumer<>(consumerProps(), new StringDeserializer(), values);
        consumer.subscribe(topics);
        return consumer;
    }

    private KafkaConsumer<byte[], byte[]> rawConsumer(List<String> topics) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(topics);
        return consumer;
    }

    private Properties consumerProps() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "media-catalog-it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return props;
    }

    /** Polls until at least {@code count} records arrived (bounded), then a little longer to catch extras. */
    private static <K, V> List<ConsumerRecord<K, V>> pollUntil(KafkaConsumer<K, V> consumer, int count) {
        List<ConsumerRecord<K, V>> got = new ArrayList<>();
        await().atMost(WAIT).pollInterval(Duration.ZERO).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(got::add);
            return got.size() >= count;
        });
        consumer.poll(Duration.ofMillis(500)).forEach(got::add);
        assertThat(got).as("no more than the expected records").hasSize(count);
        return got;
    }

    private static String header(ConsumerRecord<?, ?> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
