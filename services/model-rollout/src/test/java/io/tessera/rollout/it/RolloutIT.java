package io.tessera.rollout.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.RuntimeConfig;
import io.tessera.embedding.TextInput;
import io.tessera.embedding.model.DefaultModels;
import io.tessera.embedding.model.LocalModelStore;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.model.ModelManifest;
import io.tessera.embedding.model.ModelRef;
import io.tessera.embedding.model.ModelStore;
import io.tessera.embedding.model.ModelVersions;
import io.tessera.events.InlineText;
import io.tessera.events.MediaArrived;
import io.tessera.events.Modality;
import io.tessera.events.ModelStatus;
import io.tessera.events.ModelVersion;
import io.tessera.events.Topics;
import io.tessera.objectstore.ModelStores;
import io.tessera.objectstore.S3Settings;
import io.tessera.registry.RegistryConfig;
import io.tessera.rollout.BackfillIndexer;
import io.tessera.rollout.RolloutConfig;
import io.tessera.rollout.RolloutKafka;
import io.tessera.rollout.RolloutPhase;
import io.tessera.rollout.RolloutTopics;
import io.tessera.rollout.StoreModelLoader;
import io.tessera.serde.SpecificAvroSerializer;
import io.tessera.stack.StackConfig;
import io.tessera.testing.LocalStackExtension;
import io.tessera.testing.StackEndpoints;
import io.tessera.vectorstore.CollectionNaming;
import io.tessera.vectorstore.MediaItem;
import io.tessera.vectorstore.ModelSpec;
import io.tessera.vectorstore.RowFilter;
import io.tessera.vectorstore.SearchRequest;
import io.tessera.vectorstore.VectorRow;
import io.tessera.vectorstore.VectorStore;
import io.tessera.vectorstore.VectorStoreConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A roll-out against the real Kafka, registry, Milvus and object store: text items indexed with v1, a PROMOTED v2
 * uploaded to the object store and published with its s3:// artifact URI, the
 * backfill re-embedding the catalog with v2, searches through the alias polled all along (no item may be missing
 * at any moment), the alias flip, and the old collection dropped after the grace period.
 */
@ExtendWith(LocalStackExtension.class)
class RolloutIT {

    private static final String MODEL = "tessera-tiny";
    private static final String TENANT = "t-rollout";

    private final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private final String topicPrefix = "it-rollout-" + run + ".";
    private StackEndpoints stack;
    private VectorStore store;
    private EmbeddingRuntime live;
    private RolloutKafka rollout;
    private KafkaProducer<String, Object> producer;

    @BeforeEach
    void setUp(StackEndpoints endpoints) {
        stack = endpoints;
        store = VectorStore.connect(VectorStoreConfig.defaults(stack.milvusUri())
                .withNaming(new CollectionNaming("it_rollout_" + run + "_")));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            Map<String, String> compact = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            admin.createTopics(List.of(
                    new NewTopic(topicPrefix + Topics.MEDIA_CATALOG, 3, (short) 1).configs(compact),
                    new NewTopic(topicPrefix + Topics.MODELS_PUBLISHED, 1, (short) 1).configs(compact))).all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        SpecificAvroSerializer<org.apache.avro.specific.SpecificRecord> values = new SpecificAvroSerializer<>();
        values.configure(Map.of(RegistryConfig.URL, stack.registryUrl()), false);
        @SuppressWarnings({"unchecked", "rawtypes"})
        KafkaProducer<String, Object> p = new KafkaProducer(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.kafkaBootstrap()), new StringSerializer(), values);
        producer = p;
    }

    @AfterEach
    void tearDown() {
        if (rollout != null) {
            rollout.close();
        }
        if (live != null) {
            live.close();
        }
        if (store != null) {
            store.listCollections(MODEL).forEach(c -> {
                store.dropAlias(c.alias());
                store.dropCollection(c.collection());
            });
            store.close();
        }
        producer.close();
    }

    @Test
    void everyItemStaysSearchableThroughTheAliasWhileVersionTwoIsRolledOut() throws Exception {
        // The trainer's side: v2 is made on its disk and uploaded to the object store. The indexer's side reads
        // versions from that store through a cache that starts with the bundled v1 only: v2 must be downloaded by
        // its s3:// artifact URI and checked before the roll-out can load it.
        LocalModelStore trainerDisk = new LocalModelStore(Files.createDirectories(Path.of("target", "it-models-" + run,
                "trainer")));
        ModelDirectory v2 = trainerDisk.install(ModelVersions.derive(
                DefaultModels.installBundled(trainerDisk, DefaultModels.TESSERA_TINY), 2, Map.of(),
                Files.createTempDirectory(trainerDisk.root(), ".v2-").resolve("m")));
        S3Settings s3 = new S3Settings(Optional.of(URI.create(StackConfig.fromEnvironment().s3Endpoint())),
                StackConfig.S3_REGION, true, Optional.of(StackConfig.S3_ACCESS_KEY), Optional.of(StackConfig.S3_SECRET_KEY));
        URI storeUri = URI.create("s3://" + StackConfig.S3_BUCKET + "/rollout-it-" + run + "/");
        URI v2Artifact = ModelStores.publish(ModelStores.open(Optional.of(storeUri), s3, trainerDisk.root()
                .resolveSibling("trainer-cache")), v2);
        ModelStore models = ModelStores.open(Optional.of(storeUri), s3, Path.of("target", "it-models-" + run, "indexer"));
        ModelDirectory v1 = DefaultModels.openOrInstall(models, DefaultModels.TESSERA_TINY);
        assertThat(ModelStores.localDirectory(models).contains(v2.ref())).isFalse();
        RuntimeConfig runtimeConfig = RuntimeConfig.defaults().withWarmUp(false);
        live = EmbeddingRuntime.start(v1, runtimeConfig);

        String alias = store.naming().alias(MODEL);
        String c1 = store.naming().collection(MODEL, 1);
        String c2 = store.naming().collection(MODEL, 2);
        Set<String> indexed = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 30; i++) {
            arrive("item-" + i, () -> List.of(live));
            indexed.add("item-" + i);
        }
        assertThat(store.resolveAlias(alias)).contains(c1);

        RolloutConfig config = RolloutConfig.defaults(MODEL, Modality.TEXT).withModalities(Set.of(Modality.TEXT))
                .withGracePeriod(Duration.ofSeconds(6), Duration.ofSeconds(1))
                .withTiming(Duration.ofMillis(250), Duration.ofMillis(500)).withInstanceId("rollout-it-" + run);
        BackfillIndexer backfill = (item, source, runtime) -> CompletableFuture.supplyAsync(() -> {
            write(runtime, item);
            return BackfillIndexer.Outcome.INDEXED;
        });
        rollout = RolloutKafka.start(config, new RolloutKafka.Settings(stack.kafkaBootstrap(), Map.of(),
                Map.of(RegistryConfig.URL, stack.registryUrl()), topicPrefix), store, live,
                new StoreModelLoader(models, runtimeConfig, new SimpleMeterRegistry()), backfill,
                new SimpleMeterRegistry());
        rollout.rollout().ready().get(60, TimeUnit.SECONDS);
        assertThat(rollout.rollout().status().phase()).isEqualTo(RolloutPhase.IDLE);

        // Reads through the alias, all along: every item indexed so far must be there. Presence is checked with an
        // exact filtered query per item; the vector search beside it must keep answering. (An ANN search is no
        // presence test: Milvus' index may leave out a near-duplicate vector, and these texts are near-duplicates.)
        List<String> misses = new CopyOnWriteArrayList<>();
        List<String> seenBehindAlias = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger rounds = new java.util.concurrent.atomic.AtomicInteger();
        float[] query = live.embedTexts(List.of(TextInput.of("item"))).get(0).vector();
        Thread searcher = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                Set<String> expected = Set.copyOf(indexed);
                String behind = store.resolveAlias(alias).orElse("none");
                if (seenBehindAlias.isEmpty() || !seenBehindAlias.getLast().equals(behind)) {
                    seenBehindAlias.add(behind);
                }
                if (store.search(SearchRequest.of(alias, TENANT, query, 10)).isEmpty()) {
                    misses.add("a search through the alias found nothing (alias -> " + behind + ")");
                }
                for (String id : expected) {
                    if (store.count(alias, RowFilter.tenant(TENANT).andMediaId(id)) == 0) {
                        misses.add(id + " (alias -> " + behind + ")");
                    }
                }
                rounds.incrementAndGet();
            }
        });
        // And arrivals keep coming through the dual-writing "pipeline".
        Thread arrivals = Thread.ofPlatform().start(() -> {
            for (int i = 100; !stop.get() && i < 250; i++) {
                arrive("item-" + i, rollout.rollout()::runtimes);
                indexed.add("item-" + i);
            }
        });

        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(v2.root().resolve(ModelManifest.FILE_NAME))));
        producer.send(new ProducerRecord<>(topicPrefix + Topics.MODELS_PUBLISHED, MODEL, ModelVersion.newBuilder()
                .setModelName(MODEL).setVersion(2).setParentVersion(1).setArtifactUri(v2Artifact.toString())
                .setSha256(sha).setDimension(v2.manifest().dimension()).setStatus(ModelStatus.PROMOTED)
                .setMetrics(Map.of()).setSoupIngredients(List.of()).setPairsTrained(10)
                .setCreatedAt(Instant.now()).build())).get();

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> store.resolveAlias(alias).orElseThrow().equals(c2));
        // The status follows the flip within a tick; the old collection is still written during the grace period.
        await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(100)).until(() ->
                rollout.rollout().status().phase() == RolloutPhase.RETIRING
                        && rollout.rollout().status().completedModalities().equals(Set.of(Modality.TEXT))
                        && rollout.rollout().status().writingTo().equals(List.of(c2, c1)));
        await().atMost(Duration.ofSeconds(30)).until(() -> store.listCollections(MODEL).stream()
                .noneMatch(c -> c.collection().equals(c1)));
        assertThat(ModelStores.localDirectory(models).contains(v2.ref())).as("v2 came through the object store")
                .isTrue();
        stop.set(true);
        arrivals.join();
        searcher.join();

        assertThat(misses).isEmpty();
        assertThat(seenBehindAlias).containsExactly(c1, c2);
        assertThat(rollout.rollout().status().phase()).isEqualTo(RolloutPhase.IDLE);
        assertThat(rollout.rollout().runtimes()).extracting(r -> r.model()).containsExactly(new ModelRef(MODEL, 2));
        assertThat(rounds.get()).as("reads through the alias during the roll-out").isGreaterThan(3);
        assertThat(store.count(alias, RowFilter.tenant(TENANT))).isEqualTo(indexed.size());
        assertThat(rollout.rollout().status().backfill()).isNull();
        assertThat(topicExists(topicPrefix + RolloutTopics.MODELS_ROLLOUT)).isTrue();
    }

    /**
     * media-catalog records the item, then the indexer consumes its routed copy and writes it to every target
     * current at that moment (in that order, as in the real flow: the catalog record comes first).
     */
    private void arrive(String mediaId, java.util.function.Supplier<List<EmbeddingRuntime>> targets) {
        MediaArrived item = MediaArrived.newBuilder().setMediaId(mediaId).setTenant(TENANT)
                .setModality(Modality.TEXT).setContentType("text/plain")
                .setContent(new InlineText("item " + mediaId)).setInstruction(null).setAttributes(Map.of())
                .setOccurredAt(Instant.now()).build();
        try {
            producer.send(new ProducerRecord<>(topicPrefix + Topics.MEDIA_CATALOG, mediaId, item)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        for (EmbeddingRuntime rt : new ArrayList<>(targets.get())) {
            write(rt, item);
        }
    }

    private void write(EmbeddingRuntime runtime, MediaArrived item) {
        var e = runtime.embedTexts(List.of(TextInput.of(((InlineText) item.getContent()).getText()))).get(0);
        ModelSpec spec = new ModelSpec(e.model().name(), e.model().version(), e.vector().length);
        store.ensureCollection(spec);
        store.replaceItems(store.naming().collection(spec.name(), spec.version()), List.of(new MediaItem(
                item.getMediaId(), item.getTenant(), List.of(VectorRow.whole(item.getMediaId(), item.getTenant(),
                item.getModality().name(), e.vector(), Map.of())))));
    }

    private boolean topicExists(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            return admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic);
        }
    }
}
