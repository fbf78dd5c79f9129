package io.tessera.rollout.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tessera.embedding.Embedding;
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
import io.tessera.rollout.RolloutStatus;
import io.tessera.rollout.RolloutTopics;
import io.tessera.rollout.StoreModelLoader;
import io.tessera.serde.SpecificAvroSerializer;
import io.tessera.stack.StackConfig;
import io.tessera.testing.LocalStackExtension;
import io.tessera.testing.StackEndpoints;
import io.tessera.vectorstore.CollectionNaming;
import io.tessera.vectorstore.MediaItem;
import io.tessera.vectorstore.ModelCollection;
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
import java.util.EnumMap;
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
import java.util.concurrent.atomic.AtomicInteger;
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
 * uploaded to the object store and published with its s3:// artifact URI, the backfill re-embedding the catalog with
 * v2, the alias flip, the drain (both versions still written), then v2 written alone while v1 is kept read-only, and
 * v1 dropped after the grace period. All along a reader that caches the alias as search-api does searches: no item
 * may be missing from the collection it searches, and no query may be encoded by another version than the one that
 * made that collection. Every arrival records the versions it was embedded for: one before, two while dual-writing,
 * one (v2) after the drain; the test prints embeddings per arrival for each stage.
 */
@ExtendWith(LocalStackExtension.class)
class RolloutIT {

    private static final String MODEL = "tessera-tiny";
    private static final String TENANT = "t-rollout";
    /** The roll-out's drain: short for the test, but above the reader's alias cache as in a deployment. */
    private static final Duration DRAIN = Duration.ofSeconds(3);
    private static final Duration GRACE = Duration.ofSeconds(10);
    /**
     * The reader's alias cache (search-api's tessera.search.alias-ttl): below the drain, and long against a round of
     * the reader, so that it really searches the old collection for a while after the flip (with a drain of zero this
     * test finds misses).
     */
    private static final Duration READER_TTL = Duration.ofSeconds(2);

    private final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private final String topicPrefix = "it-rollout-" + run + ".";
    private StackEndpoints stack;
    private VectorStore store;
    private EmbeddingRuntime live;
    private EmbeddingRuntime queries;
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
        if (queries != null) {
            queries.close();
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
    void noSearchMissesOrMixesThroughTheFlipAndAfterTheDrainItemsAreEmbeddedOnce() throws Exception {
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
        List<String> indexedInOrder = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 30; i++) {
            arrive("item-" + i, () -> List.of(live));
            indexed.add("item-" + i);
            indexedInOrder.add("item-" + i);
        }
        assertThat(store.resolveAlias(alias)).contains(c1);

        RolloutConfig config = RolloutConfig.defaults(MODEL, Modality.TEXT).withModalities(Set.of(Modality.TEXT))
                .withGracePeriod(GRACE, DRAIN)
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

        // A reader like search-api's LiveModel, all along: it caches the alias lookup for READER_TTL (below the
        // drain, as search-api's cap is below every deployed drain), searches the concrete collection it resolved
        // and encodes the query with the version that made that collection, swapping its own runtime when the
        // collection's version changes. Every item indexed before a search starts must be in the collection it
        // searches (checked with an exact filtered count per item: an ANN search is no presence test, Milvus' index
        // may leave out near-duplicates, and these texts are near-duplicates), and the query's version must be the
        // collection's.
        queries = EmbeddingRuntime.start(v1, runtimeConfig);
        List<String> misses = new CopyOnWriteArrayList<>();
        List<String> mixes = new CopyOnWriteArrayList<>();
        List<String> readerErrors = new CopyOnWriteArrayList<>();
        List<String> searched = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger rounds = new AtomicInteger();
        Thread searcher = Thread.ofPlatform().start(() -> {
            ModelCollection cached = null;
            long fetchedAt = 0;
            while (!stop.get()) {
                try {
                    if (cached == null || System.nanoTime() - fetchedAt >= READER_TTL.toNanos()) {
                        fetchedAt = System.nanoTime(); // before the lookup, as LiveModel does: never too long
                        cached = store.modelOf(alias).orElseThrow();
                    }
                    ModelCollection live = cached;
                    // After the lookup: the stricter order. Every item every few rounds, else the newest ones
                    // (those at risk around the flip), so that rounds stay short against the cache.
                    List<String> all = List.copyOf(indexedInOrder);
                    List<String> expected = rounds.get() % 10 == 0 ? all
                            : all.subList(Math.max(0, all.size() - 20), all.size());
                    ModelRef made = new ModelRef(live.model().name(), live.model().version());
                    if (!queries.model().equals(made)) {
                        queries.swap(models.open(made));
                    }
                    Embedding q = queries.embedTexts(List.of(TextInput.of("item"))).get(0);
                    if (!q.model().equals(made)) {
                        mixes.add("a query encoded by " + q.model() + " against " + live.collection());
                    }
                    if (searched.isEmpty() || !searched.getLast().equals(live.collection())) {
                        searched.add(live.collection());
                    }
                    if (store.search(SearchRequest.of(live.collection(), TENANT, q.vector(), 10)).isEmpty()) {
                        misses.add("a search of " + live.collection() + " found nothing");
                    }
                    for (String id : expected) {
                        if (store.count(live.collection(), RowFilter.tenant(TENANT).andMediaId(id)) == 0) {
                            misses.add(id + " (in " + live.collection() + ", looked up "
                                    + (System.nanoTime() - fetchedAt) / 1_000_000 + " ms before)");
                        }
                    }
                    rounds.incrementAndGet();
                    // Milvus Lite serves the backfill's writes from the same process: leave it room, or on a
                    // loaded 2-core machine the backfill never catches up and the flip never comes.
                    sleep(20);
                } catch (RuntimeException e) {
                    readerErrors.add(e.toString());
                }
            }
        });
        // And arrivals keep coming through the "pipeline", which writes every version Rollout.runtimes() names at
        // that moment: what each arrival cost is recorded with the roll-out's state just before it picked them.
        AtomicBoolean promotedSent = new AtomicBoolean();
        List<Arrival> arrivalLog = new CopyOnWriteArrayList<>();
        Thread arrivals = Thread.ofPlatform().start(() -> {
            for (int i = 100; !stop.get(); i++) {
                RolloutStatus before = rollout.rollout().status();
                Stage stage = !promotedSent.get() ? Stage.BEFORE
                        : before.liveVersion() == 2 && (before.phase() == RolloutPhase.RETIRING
                        || before.phase() == RolloutPhase.IDLE) ? Stage.AFTER_DRAIN : Stage.DURING;
                List<Integer> versions = arrive("item-" + i, rollout.rollout()::runtimes);
                indexed.add("item-" + i);
                indexedInOrder.add("item-" + i);
                arrivalLog.add(new Arrival(stage, versions));
                // Every arrival is also a catalog record the backfill reads: well below the backfill's pace (one
                // Milvus write per item on a loaded 2-core machine), or the backfill chases them for minutes.
                sleep(300);
            }
        });
        sleep(1000);

        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(v2.root().resolve(ModelManifest.FILE_NAME))));
        promotedSent.set(true);
        producer.send(new ProducerRecord<>(topicPrefix + Topics.MODELS_PUBLISHED, MODEL, ModelVersion.newBuilder()
                .setModelName(MODEL).setVersion(2).setParentVersion(1).setArtifactUri(v2Artifact.toString())
                .setSha256(sha).setDimension(v2.manifest().dimension()).setStatus(ModelStatus.PROMOTED)
                .setMetrics(Map.of()).setSoupIngredients(List.of()).setPairsTrained(10)
                .setCreatedAt(Instant.now()).build())).get();

        await().atMost(Duration.ofSeconds(360)).pollInterval(Duration.ofMillis(100))
                .until(() -> store.resolveAlias(alias).orElseThrow().equals(c2));
        long flipSeen = System.nanoTime();
        // Right after the flip both versions are still written (the drain), the new one first.
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).until(() ->
                rollout.rollout().status().phase() == RolloutPhase.DRAINING
                        && rollout.rollout().status().completedModalities().equals(Set.of(Modality.TEXT))
                        && rollout.rollout().status().writingTo().equals(List.of(c2, c1)));
        // Then only the new one, within the drain and a tick or two; the old collection stays for the grace period.
        await().atMost(DRAIN.plusSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() ->
                rollout.rollout().status().phase() == RolloutPhase.RETIRING);
        Duration drained = Duration.ofNanos(System.nanoTime() - flipSeen);
        assertThat(rollout.rollout().status().writingTo()).containsExactly(c2);
        assertThat(store.listCollections(MODEL)).extracting(c -> c.collection()).contains(c1);
        assertThat(drained).as("from the flip to one embedding per arrival").isLessThan(Duration.ofMinutes(1))
                .isGreaterThan(DRAIN.minusMillis(300)).isLessThan(DRAIN.plusSeconds(10));
        await().atMost(Duration.ofSeconds(30)).until(() -> arrivalLog.stream()
                .filter(a -> a.stage() == Stage.AFTER_DRAIN).count() >= 10);
        await().atMost(GRACE.plusSeconds(20)).until(() -> store.listCollections(MODEL).stream()
                .noneMatch(c -> c.collection().equals(c1)));
        assertThat(ModelStores.localDirectory(models).contains(v2.ref())).as("v2 came through the object store")
                .isTrue();
        stop.set(true);
        arrivals.join();
        searcher.join();

        assertThat(readerErrors).isEmpty();
        assertThat(misses).isEmpty();
        assertThat(mixes).isEmpty();
        assertThat(searched).as("collections the cached reader searched, in order").containsExactly(c1, c2);
        assertThat(rounds.get()).as("searches during the roll-out").isGreaterThan(3);

        // What an arrival cost: one embedding before, two while the roll-out dual-writes, one after the drain.
        Map<Stage, double[]> cost = new EnumMap<>(Stage.class);
        for (Stage stage : Stage.values()) {
            List<Arrival> in = arrivalLog.stream().filter(a -> a.stage() == stage).toList();
            cost.put(stage, new double[] {in.size(), in.stream().mapToInt(a -> a.versions().size()).sum()});
        }
        System.out.printf("rollout embeddings per arrival: before=%.2f (%d items) during=%.2f (%d) after-drain=%.2f"
                        + " (%d)%n", ratio(cost.get(Stage.BEFORE)), (int) cost.get(Stage.BEFORE)[0],
                ratio(cost.get(Stage.DURING)), (int) cost.get(Stage.DURING)[0],
                ratio(cost.get(Stage.AFTER_DRAIN)), (int) cost.get(Stage.AFTER_DRAIN)[0]);
        assertThat(arrivalLog).filteredOn(a -> a.stage() == Stage.BEFORE).isNotEmpty()
                .allSatisfy(a -> assertThat(a.versions()).containsExactly(1));
        assertThat(arrivalLog).filteredOn(a -> a.stage() == Stage.DURING)
                .anySatisfy(a -> assertThat(a.versions()).containsExactlyInAnyOrder(1, 2));
        assertThat(arrivalLog).filteredOn(a -> a.stage() == Stage.AFTER_DRAIN).hasSizeGreaterThanOrEqualTo(10)
                .allSatisfy(a -> assertThat(a.versions()).as("after the drain only v2 is embedded").containsExactly(2));

        assertThat(rollout.rollout().status().phase()).isEqualTo(RolloutPhase.IDLE);
        assertThat(rollout.rollout().runtimes()).extracting(r -> r.model()).containsExactly(new ModelRef(MODEL, 2));
        assertThat(store.count(alias, RowFilter.tenant(TENANT))).isEqualTo(indexed.size());
        assertThat(rollout.rollout().status().backfill()).isNull();
        assertThat(topicExists(topicPrefix + RolloutTopics.MODELS_ROLLOUT)).isTrue();
    }

    private enum Stage { BEFORE, DURING, AFTER_DRAIN }

    /** One arrival: when it came (relative to the roll-out) and the model versions it was embedded and written for. */
    private record Arrival(Stage stage, List<Integer> versions) {
    }

    private static double ratio(double[] itemsAndEmbeddings) {
        return itemsAndEmbeddings[0] == 0 ? Double.NaN : itemsAndEmbeddings[1] / itemsAndEmbeddings[0];
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * media-catalog records the item, then the indexer consumes its routed copy and writes it to every target
     * current at that moment (in that order, as in the real flow: the catalog record comes first).
     */
    private List<Integer> arrive(String mediaId, java.util.function.Supplier<List<EmbeddingRuntime>> targets) {
        MediaArrived item = MediaArrived.newBuilder().setMediaId(mediaId).setTenant(TENANT)
                .setModality(Modality.TEXT).setContentType("text/plain")
                .setContent(new InlineText("item " + mediaId)).setInstruction(null).setAttributes(Map.of())
                .setOccurredAt(Instant.now()).build();
        try {
            producer.send(new ProducerRecord<>(topicPrefix + Topics.MEDIA_CATALOG, mediaId, item)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        List<Integer> versions = new ArrayList<>();
        for (EmbeddingRuntime rt : new ArrayList<>(targets.get())) {
            versions.add(write(rt, item));
        }
        return versions;
    }

    /** Embeds and writes the item for the runtime's version; returns the version its vector came from. */
    private int write(EmbeddingRuntime runtime, MediaArrived item) {
        var e = runtime.embedTexts(List.of(TextInput.of(((InlineText) item.getContent()).getText()))).get(0);
        ModelSpec spec = new ModelSpec(e.model().name(), e.model().version(), e.vector().length);
        store.ensureCollection(spec);
        store.replaceItems(store.naming().collection(spec.name(), spec.version()), List.of(new MediaItem(
                item.getMediaId(), item.getTenant(), List.of(VectorRow.whole(item.getMediaId(), item.getTenant(),
                item.getModality().name(), e.vector(), Map.of())))));
        return e.model().version();
    }

    private boolean topicExists(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            return admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic);
        }
    }
}
