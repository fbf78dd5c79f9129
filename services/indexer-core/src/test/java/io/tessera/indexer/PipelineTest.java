package io.tessera.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tessera.catalog.client.CatalogPosition;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.ImageInput;
import io.tessera.embedding.RuntimeConfig;
import io.tessera.embedding.Device;
import io.tessera.embedding.model.DefaultModels;
import io.tessera.embedding.model.LocalModelStore;
import io.tessera.events.IndexStatus;
import io.tessera.events.MediaArrived;
import io.tessera.events.MediaIndexed;
import io.tessera.events.Modality;
import io.tessera.indexer.modality.Vectors;
import io.tessera.media.FetchConfig;
import io.tessera.media.MediaDecoder;
import io.tessera.media.VideoWriter;
import io.tessera.registry.RegistryConfig;
import io.tessera.serde.DeadLetterHeaders;
import io.tessera.serde.SerdeConfig;
import io.tessera.serde.SpecificAvroDeserializer;
import io.tessera.serde.SpecificAvroSerializer;
import io.tessera.vectorstore.VectorRow;
import io.tessera.vectorstore.testing.InMemoryVectorStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import io.tessera.rollout.BackfillIndexer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline as a plain function: real decoding, the real embedding runtime (the bundled default model), the real
 * Avro serde (in-memory registry); only the sinks (Milvus, Kafka outputs) are in-memory fakes.
 */
class PipelineTest {

    private static final String TOPIC = "media.test";
    private static final String COLLECTION = "tessera_tiny_v1";
    private static EmbeddingRuntime runtime;
    private static LocalModelStore models;
    private static final AtomicLong OFFSETS = new AtomicLong();

    private final String registryScope = "mock://pipeline-test-" + System.nanoTime();
    private final InMemoryVectorStore store = new InMemoryVectorStore();
    private final CollectingOutputs outputs = new CollectingOutputs();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @TempDir
    Path files;

    @BeforeAll
    static void loadModel() {
        models = DefaultModels.defaultStore();
        runtime = EmbeddingRuntime.start(DefaultModels.installBundled(models, DefaultModels.TESSERA_TINY),
                RuntimeConfig.defaults().withDevice(Device.CPU));
    }

    @AfterAll
    static void closeModel() {
        runtime.close();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private IndexerPipeline pipeline(Modality modality) {
        return pipeline(modality, FetchConfig.defaults());
    }

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    /** Items written for a model version, by source (what a roll-out costs shows in this counter). */
    private double versionItems(int version, String source) {
        var c = meters.find("tessera.indexer.version.items").tag("version", Integer.toString(version))
                .tag("source", source).counter();
        return c == null ? 0 : c.count();
    }

    private IndexerPipeline pipeline(Modality modality, FetchConfig fetch) {
        IndexerSettings settings = IndexerSettings.builder(modality).topics(TOPIC, "media.indexed", "media.dlq")
                .decodeThreads(2).retryBackoff(Duration.ofMillis(20), Duration.ofMillis(100)).build();
        MediaDecoder decoder = new MediaDecoder(fetch, settings.decodeOptions());
        SpecificAvroDeserializer<MediaArrived> deserializer = new SpecificAvroDeserializer<>();
        deserializer.configure(Map.of(RegistryConfig.URL, registryScope, SerdeConfig.SPECIFIC_AVRO_VALUE_TYPE,
                MediaArrived.class), false);
        IndexerPipeline pipeline = IndexerPipeline.create(settings, decoder, TargetCollections.single(runtime), models,
                store, outputs, deserializer, meters);
        closeables.add(decoder);
        closeables.add(0, pipeline);
        return pipeline;
    }

    private SourceRecord record(MediaArrived event) {
        SpecificAvroSerializer<MediaArrived> serializer = new SpecificAvroSerializer<>();
        serializer.configure(Map.of(RegistryConfig.URL, registryScope), false);
        return raw(event.getMediaId(), serializer.serialize(TOPIC, event));
    }

    private static SourceRecord raw(String key, byte[] value, RecordHeader... headers) {
        return new SourceRecord(TOPIC, 0, OFFSETS.incrementAndGet(), key == null ? null
                : key.getBytes(StandardCharsets.UTF_8), value, List.of(headers), System.currentTimeMillis());
    }

    private static Outcome result(CompletableFuture<Outcome> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    private MediaIndexed onlyEvent(String mediaId) {
        List<MediaIndexed> events = outputs.events.stream().filter(e -> e.getMediaId().equals(mediaId)).toList();
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    @Test
    void backfillReindexWritesTheItemForTheGivenRuntimeWithoutADeadLetterForBadContent() throws Exception {
        IndexerPipeline pipeline = pipeline(Modality.IMAGE);
        CatalogPosition at = new CatalogPosition("media.catalog", 2, 17);
        MediaArrived good = TestMedia.inline("img-bf", "acme", Modality.IMAGE, "image/jpeg", TestMedia.jpeg(3));
        MediaArrived bad = TestMedia.inline("img-bad", "acme", Modality.IMAGE, "image/jpeg",
                TestMedia.truncated(TestMedia.jpeg(4), 0.02));

        assertThat(pipeline.reindex(good, at, runtime).get(60, TimeUnit.SECONDS))
                .isEqualTo(BackfillIndexer.Outcome.INDEXED);
        assertThat(pipeline.reindex(bad, at, runtime).get(60, TimeUnit.SECONDS))
                .isEqualTo(BackfillIndexer.Outcome.REJECTED);

        assertThat(store.rowsOf(COLLECTION, "img-bf")).extracting(VectorRow::pk).containsExactly("img-bf#-1");
        assertThat(onlyEvent("img-bf").getStatus()).isEqualTo(IndexStatus.INDEXED);
        assertThat(store.rowsOf(COLLECTION, "img-bad")).isEmpty();
        assertThat(outputs.deadLetters).as("dead-lettered when it arrived, not again").isEmpty();
        assertThat(pipeline.active()).isZero();
        assertThat(versionItems(1, "backfill")).isEqualTo(1);
        assertThat(versionItems(1, "arrival")).isZero();
    }

    @Test
    void imageBecomesOneWholeItemRowAndOneIndexedEvent() throws Exception {
        IndexerPipeline pipeline = pipeline(Modality.IMAGE);
        byte[] jpeg = TestMedia.jpeg(1);

        Outcome outcome = result(pipeline.submit(record(TestMedia.inline("img-1", "acme", Modality.IMAGE, "image/jpeg", jpeg))));

        assertThat(outcome.status()).isEqualTo(Outcome.Status.INDEXED);
        List<VectorRow> rows = store.rowsOf(COLLECTION, "img-1");
        assertThat(rows).extracting(VectorRow::pk).containsExactly("img-1#-1");
        assertThat(rows.get(0).tenant()).isEqualTo("acme");
        assertThat(rows.get(0).modality()).isEqualTo("IMAGE");
        assertThat(rows.get(0).attributes()).containsEntry("source", "test");
        float[] direct = runtime.embedImages(List.of(ImageInput.of(ImageIO.read(new java.io.ByteArrayInputStream(jpeg)))))
                .get(0).vector();
        assertThat(Vectors.cosine(rows.get(0).vector(), direct)).isGreaterThan(0.99);
        MediaIndexed event = onlyEvent("img-1");
        assertThat(event.getStatus()).isEqualTo(IndexStatus.INDEXED);
        assertThat(event.getSegments()).isEqualTo(1);
        assertThat(event.getCollection()).isEqualTo(COLLECTION);
        assertThat(event.getModelName()).isEqualTo("tessera-tiny");
        assertThat(event.getModelVersion()).isEqualTo(1);
        assertThat(outputs.deadLetters).isEmpty();
        assertThat(store.exists(COLLECTION)).isTrue();
        assertThat(versionItems(1, "arrival")).isEqualTo(1);
    }

    @Test
    void videoGetsOneRowPerSampledFrameWithTimestampsPlusThePooledWholeRow() throws Exception {
        IndexerPipeline pipeline = pipeline(Modality.VIDEO);
        byte[] mp4 = TestMedia.video(VideoWriter.Format.MP4_H264, 3, 7);

        Outcome outcome = result(pipeline.submit(record(TestMedia.inline("vid-1", "acme", Modality.VIDEO, "video/mp4", mp4))));

        assertThat(outcome.status()).isEqualTo(Outcome.Status.INDEXED);
        List<VectorRow> rows = store.rowsOf(COLLECTION, "vid-1");
        assertThat(rows).extracting(VectorRow::segment).containsExactly(-1, 0, 1, 2);
        assertThat(rows.subList(1, 4)).extracting(VectorRow::startMs).containsExactly(0L, 1000L, 2000L);
        assertThat(rows.subList(1, 4)).extracting(VectorRow::endMs).containsExactly(1000L, 2000L, 3000L);
        assertThat(rows.get(0).startMs()).isZero();
        assertThat(rows.get(0).endMs()).isEqualTo(3000L);
        float[] pooled = Vectors.pooled(rows.subList(1, 4).stream().map(VectorRow::vector).toList());
        assertThat(Vectors.cosine(rows.get(0).vector(), pooled)).isGreaterThan(0.9999);
        assertThat(onlyEvent("vid-1").getSegments()).isEqualTo(4);
    }

    @Test
    void documentPagesCombineTheRenderedPageWithTheirTextLayer() throws Exception {
        IndexerPipeline pipeline = pipeline(Modality.DOCUMENT);
        String pageText = "lighthouse harbor ocean";
        byte[] pdf = TestMedia.pdf(List.of(pageText, "glacier mountain valley"));

        Outcome outcome = result(pipeline.submit(record(TestMedia.inline("doc-1", "acme", Modality.DOCUMENT,
                "application/pdf", pdf))));

        assertThat(outcome.status()).isEqualTo(Outcome.Status.INDEXED);
        List<VectorRow> rows = store.rowsOf(COLLECTION, "doc-1");
        assertThat(rows).extracting(VectorRow::segment).containsExactly(-1, 0, 1);
        assertThat(rows).allSatisfy(r -> assertThat(r.startMs()).isNull());
        float[] query = runtime.embedTexts(List.of(new io.tessera.embedding.TextInput(pageText, "document", null)))
                .get(0).vector();
        // The page whose words are the query is closer to it than the other page.
        assertThat(Vectors.cosine(rows.get(1).vector(), query)).isGreaterThan(Vectors.cosine(rows.get(2).vector(), query));
        float[] pooled = Vectors.pooled(List.of(rows.get(1).vector(), rows.get(2).vector()));
        assertThat(Vectors.cosine(rows.get(0).vector(), pooled)).isGreaterThan(0.9999);
        // Each page row keeps its text for search results to show; the whole document its first page's.
        assertThat(rows).extracting(VectorRow::passage).containsExactly(pageText, pageText, "glacier mountain valley");
    }

    @Test
    void longTextIsChunkedToTheModelLengthAndShortTextKeepsOneRow() throws Exception {
        IndexerPipeline pipeline = pipeline(Modality.TEXT);

        result(pipeline.submit(record(TestMedia.text("txt-short", "acme", "river bridge at dawn"))));
        result(pipeline.submit(record(TestMedia.text("txt-long", "acme", TestMedia.words(3, 200)))));

        assertThat(store.rowsOf(COLLECTION, "txt-short")).extracting(VectorRow::pk).containsExactly("txt-short#-1");
        List<VectorRow> rows = store.rowsOf(COLLECTION, "txt-long");
        // 200 words, chunks of at most (64 - 2 special - the instruction) tokens with overlap: several chunks.
        assertThat(rows.size()).isGreaterThan(5);
        assertThat(rows.get(0).segment()).isEqualTo(-1);
        for (int i = 1; i < rows.size(); i++) {
            assertThat(rows.get(i).segment()).isEqualTo(i - 1);
        }
        assertThat(onlyEvent("txt-long").getSegments()).isEqualTo(rows.size());
        assertThat(store.rowsOf(COLLECTION, "txt-short").getFirst().passage()).isEqualTo("river bridge at dawn");
        // Every chunk row keeps its chunk's words, which are words of the text; the whole text starts with chunk 0.
        String all = " " + TestMedia.words(3, 200) + " ";
        for (VectorRow row : rows.subList(1, rows.size())) {
            assertThat(all).contains(row.passage());
        }
        assertThat(rows.get(0).passage()).isEqualTo(rows.get(1).passage());
    }

    @Test
    void corruptJpegIsDeadLetteredWithProvenanceAndAFailedEvent() throws Exception {
        IndexerPipeline pipeline = pipeline(Modality.IMAGE);
        SourceRecord bad = record(TestMedia.inline("img-bad", "acme", Modality.IMAGE, "image/jpeg",
                TestMedia.truncated(TestMedia.jpeg(2), 0.5)));

        Outcome outcome = result(pipeline.submit(bad));

        assertThat(outcome.status()).isEqualTo(Outcome.Status.DEAD_LETTERED);
        assertThat(outputs.deadLetters).hasSize(1);
        DeadLetter letter = outputs.deadLetters.get(0);
        assertThat(letter.value()).isEqualTo(bad.value());
        assertThat(letter.key()).isEqualTo(bad.key());
        assertThat(letter.header(IndexerHeaders.REASON_CODE)).isIn("TRUNCATED", "CORRUPT_IMAGE");
        assertThat(letter.header(DeadLetterHeaders.TOPIC)).isEqualTo(TOPIC);
        assertThat(letter.header(DeadLetterHeaders.OFFSET)).isEqualTo(Long.toString(bad.offset()));
        assertThat(letter.header(DeadLetterHeaders.PARTITION)).isEqualTo("0");
        assertThat(letter.header(DeadLetterHeaders.SERVICE)).isEqualTo("image-indexer");
        assertThat(letter.header(DeadLetterHeaders.EXCEPTION_CLASS)).isEqualTo("io.tessera.media.MediaRejectedException");
        assertThat(letter.header(DeadLetterHeaders.REASON)).isNotBlank();
        MediaIndexed failed = onlyEvent("img-bad");
        assertThat(failed.getStatus()).isEqualTo(IndexStatus.FAILED);
        assertThat(failed.getError()).contains(letter.header(IndexerHeaders.REASON_CODE));
        assertThat(store.rowsOf(COLLECTION, "img-bad")).isEmpty();
    }

    @Test
    void recordThatIsNotAvroIsDeadLetteredAsIsWithoutAnEvent() throws Exception {
        IndexerPipeline pipeline = pipeline(Modality.IMAGE);
        byte[] json = "{\"mediaId\":\"x\"}".getBytes(StandardCharsets.UTF_8);

        Outcome outcome = result(pipeline.submit(raw("x", json, new RecordHeader("trace", new byte[] {1}))));

        assertThat(outcome.status()).isEqualTo(Outcome.Status.DEAD_LETTERED);
        assertThat(outcome.reasonCode()).isEqualTo("BAD_MAGIC_BYTE");
        DeadLetter letter = outputs.deadLetters.get(0);
        assertThat(letter.value()).isEqualTo(json);
        assertThat(letter.header("trace")).isNotNull();
        assertThat(letter.header(IndexerHeaders.REASON_CODE)).isEqualTo("BAD_MAGIC_BYTE");
        assertThat(letter.header(DeadLetterHeaders.EXCEPTION_CLASS)).isEqualTo("io.tessera.serde.PoisonPillException");
        assertThat(outputs.events).isEmpty();
    }

    @Test
    void unknownSchemaIdIsAPoisonPill() throws Exception {
        IndexerPipeline pipeline = pipeline(Modality.IMAGE);
        byte[] value = {0, 0, 0, 0x7f, 0x7f, 1, 2, 3};

        Outcome outcome = result(pipeline.submit(raw("y", value)));

        assertThat(outcome.reasonCode()).isEqualTo("UNKNOWN_SCHEMA_ID");
    }

    @Test
    void referencesOutsideTheAllowlistsAreRejectedWithTheirReason() throws Exception {
        Path root = Files.createDirectories(files.resolve("root"));
        Path outside = Files.write(files.resolve("outside.jpg"), TestMedia.jpeg(5));
        Files.write(root.resolve("inside.jpg"), TestMedia.jpeg(6));
        IndexerPipeline pipeline = pipeline(Modality.IMAGE, FetchConfig.builder().fileRoot(root).build());

        Outcome outsideRoots = result(pipeline.submit(record(TestMedia.reference("f-out", "acme", Modality.IMAGE,
                "image/jpeg", outside.toUri().toString()))));
        Outcome otherHost = result(pipeline.submit(record(TestMedia.reference("h-out", "acme", Modality.IMAGE,
                "image/jpeg", "http://images.example.com/a.jpg"))));
        Outcome inside = result(pipeline.submit(record(TestMedia.reference("f-in", "acme", Modality.IMAGE,
                "image/jpeg", root.resolve("inside.jpg").toUri().toString()))));

        assertThat(outsideRoots.reasonCode()).isEqualTo("FILE_OUTSIDE_ROOTS");
        assertThat(otherHost.reasonCode()).isEqualTo("URI_NOT_ALLOWED");
        assertThat(inside.status()).isEqualTo(Outcome.Status.INDEXED);
    }

    @Test
    void wrongModalityAndMismatchedKeyAreDeadLettered() throws Exception {
        IndexerPipeline pipeline = pipeline(Modality.IMAGE);
        MediaArrived text = TestMedia.text("t-1", "acme", "hello there");
        SourceRecord keyed = record(TestMedia.inline("img-k", "acme", Modality.IMAGE, "image/jpeg", TestMedia.jpeg(3)));
        SourceRecord wrongKey = new SourceRecord(TOPIC, 0, OFFSETS.incrementAndGet(),
                "other".getBytes(StandardCharsets.UTF_8), keyed.value(), List.of(), 0);

        assertThat(result(pipeline.submit(record(text))).reasonCode()).isEqualTo("MODALITY_MISMATCH");
        assertThat(result(pipeline.submit(wrongKey)).reasonCode()).isEqualTo("KEY_MISMATCH");
    }

    @Test
    void milvusOutageIsWaitedOutNotDeadLettered() throws Exception {
        IndexerPipeline pipeline = pipeline(Modality.IMAGE);
        store.down(true);

        CompletableFuture<Outcome> f = pipeline.submit(record(TestMedia.inline("img-o", "acme", Modality.IMAGE,
                "image/png", TestMedia.png(9))));

        await().atMost(Duration.ofSeconds(20)).until(() -> store.failedCalls() >= 3);
        assertThat(f).isNotDone();
        assertThat(pipeline.health().isDown(DependencyHealth.Dependency.MILVUS)).isTrue();
        store.down(false);
        assertThat(result(f).status()).isEqualTo(Outcome.Status.INDEXED);
        assertThat(pipeline.health().isDown(DependencyHealth.Dependency.MILVUS)).isFalse();
        assertThat(outputs.deadLetters).isEmpty();
        assertThat(store.rowsOf(COLLECTION, "img-o")).hasSize(1);
    }

    @Test
    void eventThatCannotBePublishedIsRetriedUntilTheBrokerTakesIt() throws Exception {
        IndexerPipeline pipeline = pipeline(Modality.TEXT);
        outputs.failNext.set(3);

        Outcome outcome = result(pipeline.submit(record(TestMedia.text("t-pub", "acme", "a quiet village"))));

        assertThat(outcome.status()).isEqualTo(Outcome.Status.INDEXED);
        assertThat(onlyEvent("t-pub").getStatus()).isEqualTo(IndexStatus.INDEXED);
    }

    @Test
    void tombstoneDeletesEveryRowOfTheItemAndAnnouncesIt() throws Exception {
        IndexerPipeline pipeline = pipeline(Modality.VIDEO);
        result(pipeline.submit(record(TestMedia.inline("vid-d", "acme", Modality.VIDEO, "video/webm",
                TestMedia.video(VideoWriter.Format.WEBM_VP8, 2, 4)))));
        assertThat(store.rowsOf(COLLECTION, "vid-d")).hasSize(3);

        Outcome outcome = result(pipeline.submit(raw("vid-d", null,
                new RecordHeader(IndexerHeaders.TENANT, "acme".getBytes(StandardCharsets.UTF_8)))));

        assertThat(outcome.status()).isEqualTo(Outcome.Status.DELETED);
        assertThat(store.rowsOf(COLLECTION, "vid-d")).isEmpty();
        MediaIndexed deleted = outputs.events.stream().filter(e -> e.getStatus() == IndexStatus.DELETED).findFirst()
                .orElseThrow();
        assertThat(deleted.getTenant()).isEqualTo("acme");
        assertThat(deleted.getMediaId()).isEqualTo("vid-d");
    }

    @Test
    void recordsOfOneItemAreAppliedInOrderEvenWhenSubmittedTogether() throws Exception {
        IndexerPipeline pipeline = pipeline(Modality.TEXT);

        CompletableFuture<Outcome> first = pipeline.submit(record(TestMedia.text("t-o", "acme", TestMedia.words(1, 150))));
        CompletableFuture<Outcome> second = pipeline.submit(record(TestMedia.text("t-o", "acme", "short now")));
        CompletableFuture<Outcome> third = pipeline.submit(raw("t-o", null));
        CompletableFuture<Outcome> fourth = pipeline.submit(record(TestMedia.text("t-o", "acme", "back again")));

        assertThat(result(fourth).status()).isEqualTo(Outcome.Status.INDEXED);
        assertThat(first).isDone();
        assertThat(second).isDone();
        assertThat(third).isDone();
        assertThat(store.rowsOf(COLLECTION, "t-o")).extracting(VectorRow::pk).containsExactly("t-o#-1");
        assertThat(outputs.events).extracting(e -> e.getStatus().name())
                .containsExactly("INDEXED", "INDEXED", "DELETED", "INDEXED");
    }

    @Test
    void batchesOfManyRecordsAreWrittenTogether() throws Exception {
        IndexerPipeline pipeline = pipeline(Modality.IMAGE);
        List<CompletableFuture<Outcome>> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            all.add(pipeline.submit(record(TestMedia.inline("img-b" + i, "acme", Modality.IMAGE, "image/jpeg",
                    TestMedia.jpeg(100 + i)))));
        }
        for (CompletableFuture<Outcome> f : all) {
            assertThat(result(f).status()).isEqualTo(Outcome.Status.INDEXED);
        }
        assertThat(store.size(COLLECTION)).isEqualTo(40);
        assertThat(store.writeCalls()).isLessThan(40);
        assertThat(pipeline.active()).isZero();
    }
}
