package io.tessera.trainer.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.tessera.demo.dataset.DatasetJson;
import io.tessera.demo.dataset.DatasetManifest;
import io.tessera.demo.dataset.ManifestItem;
import io.tessera.demo.dataset.TrainingPair;
import io.tessera.demo.run.PairEvents;
import io.tessera.embedding.model.LocalModelStore;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.model.ModelRef;
import io.tessera.events.ContentReference;
import io.tessera.events.CuratedPair;
import io.tessera.events.MediaArrived;
import io.tessera.events.Modality;
import io.tessera.events.ModelStatus;
import io.tessera.events.ModelVersion;
import io.tessera.objectstore.ModelStores;
import io.tessera.objectstore.S3Settings;
import io.tessera.serde.DeadLetterHeaders;
import io.tessera.serde.SpecificAvroDeserializer;
import io.tessera.serde.SpecificAvroSerializer;
import io.tessera.stack.StackConfig;
import io.tessera.trainer.round.ModelWriter;
import io.tessera.trainer.round.TrainingReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Against the real stack, the packaged service (java -jar, one class loader, as deployed): the generated dataset's catalog and pairs are published, the trainer runs a round on its
 * own, publishes a CANDIDATE then a PROMOTED version whose directory is in the store and loads, with validation recall
 * above the model it was trained from; a poison pill goes to the DLQ with its provenance and the channel keeps going.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = TrainerStackResource.class, restrictToAnnotatedClass = true)
class TrainerIT {

    @Test
    void pairsPublishedBecomeAPromotedModelVersion() throws Exception {
        String prefix = TrainerStackResource.prefix;
        Path dataset = TrainerStackResource.dataset;
        DatasetManifest manifest = DatasetJson.readManifest(dataset);
        List<TrainingPair> pairs = DatasetJson.readPairsResolved(dataset.resolve(DatasetManifest.PAIRS_FILE));
        Map<String, Object> registry = Map.of("schema.registry.url", TrainerStackResource.stack.registryUrl());

        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TrainerStackResource.stack.kafkaBootstrap());
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(p, new StringSerializer(), serializer(registry));
             KafkaProducer<String, byte[]> raw = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            // What media-catalog would have written: every item by mediaId, its file as a reference.
            for (ManifestItem item : manifest.items()) {
                var ref = item.content(dataset);
                producer.send(new ProducerRecord<>(prefix + "media.catalog", item.mediaId(), MediaArrived.newBuilder()
                        .setMediaId(item.mediaId()).setTenant("it").setModality(Modality.valueOf(item.modality().name()))
                        .setContentType(item.contentType())
                        .setContent(new ContentReference(ref.uri(), ref.sizeBytes(), ref.sha256()))
                        .setAttributes(Map.of()).setOccurredAt(Instant.now()).build()));
            }
            producer.flush();
            raw.send(new ProducerRecord<>(prefix + "pairs.curated", "poison-1",
                    "{\"not\": \"avro\"}".getBytes(StandardCharsets.UTF_8))).get();
            for (TrainingPair pair : pairs) {
                CuratedPair event = PairEvents.of(pair);
                producer.send(new ProducerRecord<>(prefix + "pairs.curated", event.getPairId(), event));
            }
            producer.flush();
        }

        List<ModelVersion> versions = new ArrayList<>();
        try (KafkaConsumer<String, ModelVersion> consumer = consumer(ModelVersion.class, registry)) {
            consumer.subscribe(List.of(prefix + "models.published"));
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                for (ConsumerRecord<String, ModelVersion> r : consumer.poll(Duration.ofMillis(500))) {
                    assertThat(r.key()).isEqualTo("tessera-tiny");
                    versions.add(r.value());
                }
                assertThat(versions).extracting(v -> v.getVersion() + " " + v.getStatus())
                        .contains("2 " + ModelStatus.PROMOTED);
            });
        }
        assertThat(versions).extracting(v -> v.getVersion() + " " + v.getStatus())
                .containsExactly("2 " + ModelStatus.CANDIDATE, "2 " + ModelStatus.PROMOTED);
        ModelVersion promoted = versions.get(1);
        assertThat(promoted.getParentVersion()).isEqualTo(1);
        assertThat(promoted.getDimension()).isEqualTo(256);
        assertThat(promoted.getPairsTrained()).isPositive();
        assertThat(promoted.getSoupIngredients()).isNotEmpty();
        assertThat(promoted.getMetrics().get("recall@1.after")).isGreaterThan(promoted.getMetrics().get("recall@1.before"));
        assertThat(promoted.getMetrics().get("score.after")).isGreaterThan(promoted.getMetrics().get("score.before"));

        ModelDirectory dir = new LocalModelStore(TrainerStackResource.models).open(new ModelRef("tessera-tiny", 2));
        assertThat(promoted.getArtifactUri()).isEqualTo(TrainerStackResource.modelStoreUri() + "tessera-tiny/2/");
        assertThat(ModelWriter.artifactSha256(dir)).isEqualTo(promoted.getSha256());
        // What an indexer in another pod does: download the version by its URI into an empty cache, checked.
        ModelDirectory downloaded = ModelStores.open(Optional.of(java.net.URI.create(TrainerStackResource.modelStoreUri())),
                new S3Settings(Optional.of(java.net.URI.create(StackConfig.fromEnvironment().s3Endpoint())),
                        StackConfig.S3_REGION, true, Optional.of(StackConfig.S3_ACCESS_KEY),
                        Optional.of(StackConfig.S3_SECRET_KEY)),
                Files.createTempDirectory(TrainerStackResource.models.getParent(), "indexer-cache-"))
                .open(new ModelRef("tessera-tiny", 2));
        assertThat(downloaded.manifestSha256()).isEqualTo(promoted.getSha256());
        assertThat(downloaded.root()).isNotEqualTo(dir.root());
        assertThat(Files.isRegularFile(dir.file(TrainingReport.CHART_FILE))).isTrue();
        assertThat(TrainingReport.read(dir.root()).decision().status()).isEqualTo("PROMOTED");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/v1/training/status").then()
                .statusCode(200)
                .body("model.liveVersion", org.hamcrest.Matchers.equalTo(2))
                .body("model.artifactUri", org.hamcrest.Matchers.equalTo(promoted.getArtifactUri()))
                .body("lastRound.outcome", org.hamcrest.Matchers.equalTo("PROMOTED"))
                .body("pairs.buffered", org.hamcrest.Matchers.equalTo(pairs.size()))
                .body("round.state", org.hamcrest.Matchers.equalTo("IDLE")));

        try (KafkaConsumer<String, byte[]> dlq = new KafkaConsumer<>(consumerProps(), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            dlq.subscribe(List.of(prefix + "pairs.curated.dlq"));
            List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                dlq.poll(Duration.ofMillis(300)).forEach(dead::add);
                assertThat(dead).hasSize(1);
            });
            ConsumerRecord<String, byte[]> d = dead.get(0);
            assertThat(d.key()).isEqualTo("poison-1");
            assertThat(new String(d.value(), StandardCharsets.UTF_8)).isEqualTo("{\"not\": \"avro\"}");
            assertThat(header(d, DeadLetterHeaders.REASON)).contains("magic byte");
            assertThat(header(d, DeadLetterHeaders.TOPIC)).isEqualTo(prefix + "pairs.curated");
            assertThat(header(d, DeadLetterHeaders.OFFSET)).isEqualTo("0");
            assertThat(header(d, DeadLetterHeaders.SERVICE)).isEqualTo("trainer");
        }
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static org.apache.kafka.common.serialization.Serializer<Object> serializer(Map<String, Object> registry) {
        SpecificAvroSerializer s = new SpecificAvroSerializer();
        s.configure(registry, false);
        return s;
    }

    private static Properties consumerProps() {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TrainerStackResource.stack.kafkaBootstrap());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return c;
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> KafkaConsumer<String, T> consumer(Class<T> type,
            Map<String, Object> registry) {
        SpecificAvroDeserializer<T> d = new SpecificAvroDeserializer<>();
        Map<String, Object> cfg = new java.util.HashMap<>(registry);
        cfg.put("specific.avro.value.type", type.getName());
        d.configure(cfg, false);
        return new KafkaConsumer<>(consumerProps(), new StringDeserializer(), d);
    }
}
