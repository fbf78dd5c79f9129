package io.tessera.indexer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.IndexStatus;
import io.tessera.events.MediaArrived;
import io.tessera.events.MediaIndexed;
import io.tessera.events.Modality;
import io.tessera.events.Topics;
import io.tessera.indexer.Indexer;
import io.tessera.indexer.IndexerHeaders;
import io.tessera.indexer.IndexerSettings;
import io.tessera.indexer.TargetCollections;
import io.tessera.indexer.TestMedia;
import io.tessera.media.FetchConfig;
import io.tessera.media.VideoWriter;
import io.tessera.testing.LocalStackExtension;
import io.tessera.testing.StackEndpoints;
import io.tessera.vectorstore.CollectionNaming;
import io.tessera.vectorstore.IndexType;
import io.tessera.vectorstore.RowFilter;
import io.tessera.vectorstore.SearchHit;
import io.tessera.vectorstore.SearchRequest;
import io.tessera.vectorstore.SegmentScope;
import io.tessera.vectorstore.StoredRow;
import io.tessera.vectorstore.VectorStore;
import io.tessera.vectorstore.VectorStoreConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A mixed set published through Kafka as a user would (Avro in the Confluent wire format) is indexed by the four
 * indexers into exactly the expected Milvus rows, with one INDEXED event per item; each item finds itself first.
 */
@ExtendWith(LocalStackExtension.class)
class MixedSetIT {

    private static final String MODEL = "tessera-tiny";

    private static String prefix;
    private static CollectionNaming naming;
    private static VectorStore store;
    private static final List<Indexer> indexers = new ArrayList<>();
    private static ItSupport.Outcomes outcomes;
    private static StackEndpoints stack;

    /** What each item must become: mediaId → (tenant, expected segments in order, expected frame starts). */
    private record Expected(String tenant, MediaArrived event, List<Integer> segments, List<Long> startMs) {
    }

    private static final Map<String, Expected> EXPECTED = new LinkedHashMap<>();

    @BeforeAll
    static void start(StackEndpoints endpoints) {
        stack = endpoints;
        String id = ItSupport.unique("mix");
        prefix = id + "-";
        naming = new CollectionNaming(id + "_");
        List<String> topics = new ArrayList<>();
        for (String t : List.of(Topics.MEDIA_IMAGE, Topics.MEDIA_VIDEO, Topics.MEDIA_DOCUMENT, Topics.MEDIA_TEXT,
                Topics.MEDIA_INDEXED, Topics.MEDIA_DLQ)) {
            topics.add(Topics.withPrefix(prefix, t));
        }
        ItSupport.createTopics(stack, 2, topics);
        store = VectorStore.connect(VectorStoreConfig.defaults(stack.milvusUri()).withNaming(naming)
                .withIndexType(IndexType.FLAT));
        for (Modality m : List.of(Modality.IMAGE, Modality.VIDEO, Modality.DOCUMENT, Modality.TEXT)) {
            IndexerSettings settings = IndexerSettings.builder(m).topicPrefix(prefix).groupId(prefix + m)
                    .decodeThreads(2).build();
            indexers.add(Indexer.builder(settings).kafka(stack.kafkaBootstrap()).registry(stack.registryUrl())
                    .vectorStore(store).targets(TargetCollections.single(ItSupport.runtime()))
                    .modelStore(ItSupport.models()).fetch(FetchConfig.defaults()).start());
        }
        outcomes = new ItSupport.Outcomes(stack, Topics.withPrefix(prefix, Topics.MEDIA_INDEXED),
                Topics.withPrefix(prefix, Topics.MEDIA_DLQ));
    }

    @AfterAll
    static void stop() throws Exception {
        for (Indexer i : indexers) {
            i.close();
        }
        if (outcomes != null) {
            outcomes.close();
        }
        if (store != null) {
            for (var c : store.listCollections(MODEL)) {
                store.dropAlias(c.alias());
                store.dropCollection(c.collection());
            }
            store.close();
        }
    }

    private static void expect(MediaArrived event, List<Integer> segments, List<Long> startMs) {
        EXPECTED.put(event.getMediaId(), new Expected(event.getTenant(), event, segments, startMs));
    }

    @Test
    void mixedSetBecomesExactlyTheExpectedRowsAndEveryItemFindsItselfFirst() {
        String[] tenants = {"acme", "globex"};
        for (int i = 0; i < 6; i++) {
            boolean jpeg = i % 2 == 0;
            expect(TestMedia.inline("img-" + i, tenants[i % 2], Modality.IMAGE, jpeg ? "image/jpeg" : "image/png",
                    jpeg ? TestMedia.jpeg(i) : TestMedia.png(i)), List.of(-1), null);
        }
        expect(TestMedia.inline("vid-mp4", "acme", Modality.VIDEO, "video/mp4",
                TestMedia.video(VideoWriter.Format.MP4_H264, 3, 1)), List.of(-1, 0, 1, 2), List.of(0L, 0L, 1000L, 2000L));
        expect(TestMedia.inline("vid-webm", "globex", Modality.VIDEO, "video/webm",
                TestMedia.video(VideoWriter.Format.WEBM_VP8, 2, 2)), List.of(-1, 0, 1), List.of(0L, 0L, 1000L));
        expect(TestMedia.inline("doc-3p", "acme", Modality.DOCUMENT, "application/pdf",
                TestMedia.pdf(List.of("harbor lighthouse", "desert canyon", "forest village"))), List.of(-1, 0, 1, 2), null);
        expect(TestMedia.inline("doc-1p", "globex", Modality.DOCUMENT, "application/pdf",
                TestMedia.pdf(List.of("one single page"))), List.of(-1), null);
        expect(TestMedia.text("txt-short", "acme", "a bridge over the river"), List.of(-1), null);
        expect(TestMedia.text("txt-long", "globex", TestMedia.words(11, 220)), null, null);

        try (KafkaProducer<String, MediaArrived> producer = ItSupport.producer(stack)) {
            for (Expected e : EXPECTED.values()) {
                ItSupport.send(producer, Topics.withPrefix(prefix, Topics.forModality(e.event().getModality())), e.event());
            }
        }

        await().atMost(Duration.ofSeconds(120)).until(() ->
                EXPECTED.keySet().stream().allMatch(id -> !outcomes.eventsFor(id).isEmpty()));
        // Exactly one event each, and nothing dead-lettered: give stragglers a moment to show up.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> outcomes.events.size() == EXPECTED.size());
        assertThat(outcomes.deadLetters).isEmpty();

        String collection = naming.collection(MODEL, 1);
        assertThat(store.resolveAlias(naming.alias(MODEL))).contains(collection);
        long totalRows = 0;
        for (var entry : EXPECTED.entrySet()) {
            String mediaId = entry.getKey();
            Expected e = entry.getValue();
            MediaIndexed event = outcomes.eventsFor(mediaId).get(0);
            assertThat(event.getStatus()).as(mediaId).isEqualTo(IndexStatus.INDEXED);
            assertThat(event.getCollection()).isEqualTo(collection);
            assertThat(event.getModelVersion()).isEqualTo(1);
            List<StoredRow> rows = store.itemRows(collection, e.tenant(), mediaId, true);
            assertThat(event.getSegments()).as(mediaId).isEqualTo(rows.size());
            totalRows += rows.size();
            List<Integer> segments = rows.stream().map(StoredRow::segment).toList();
            if (e.segments() != null) {
                assertThat(segments).as(mediaId).isEqualTo(e.segments());
            } else {
                assertThat(segments.size()).as(mediaId + " is longer than one chunk").isGreaterThan(2);
                for (int s = 0; s < segments.size(); s++) {
                    assertThat(segments.get(s)).isEqualTo(s - 1);
                }
            }
            assertThat(rows).allSatisfy(r -> {
                assertThat(r.pk()).isEqualTo(mediaId + "#" + r.segment());
                assertThat(r.tenant()).isEqualTo(e.tenant());
                assertThat(r.modality()).isEqualTo(e.event().getModality().name());
                assertThat(r.attributes()).containsEntry("id", mediaId);
            });
            // Each row keeps the text it was embedded from, for search results to show; pictures have none.
            List<String> passages = rows.stream().map(StoredRow::passage).toList();
            switch (mediaId) {
                case "doc-3p" -> assertThat(passages).containsExactly("harbor lighthouse", "harbor lighthouse",
                        "desert canyon", "forest village");
                case "doc-1p" -> assertThat(passages).containsExactly("one single page");
                case "txt-short" -> assertThat(passages).containsExactly("a bridge over the river");
                case "txt-long" -> assertThat(passages).as(mediaId).allSatisfy(p -> assertThat(p).isNotBlank());
                default -> assertThat(passages).as(mediaId).containsOnlyNulls();
            }
            if (e.startMs() != null) {
                assertThat(rows.stream().map(StoredRow::startMs).toList()).as(mediaId).isEqualTo(e.startMs());
                assertThat(rows.get(1).endMs()).isEqualTo(1000L);
            }
            float[] own = store.wholeItemVector(collection, e.tenant(), mediaId).orElseThrow();
            List<SearchHit> hits = store.search(SearchRequest.of(naming.alias(MODEL), e.tenant(), own, 3)
                    .withScope(SegmentScope.WHOLE_ITEMS));
            assertThat(hits.get(0).mediaId()).as("nearest to " + mediaId).isEqualTo(mediaId);
            assertThat(hits).allSatisfy(h -> assertThat(h.tenant()).isEqualTo(e.tenant()));
        }
        assertThat(store.count(collection, RowFilter.all())).isEqualTo(totalRows);

        // A tombstone (routed with the tenant header, as media-catalog does) removes every row of the item.
        try (var raw = ItSupport.rawProducer(stack)) {
            ProducerRecord<byte[], byte[]> tombstone = new ProducerRecord<>(Topics.withPrefix(prefix, Topics.MEDIA_VIDEO),
                    null, "vid-mp4".getBytes(StandardCharsets.UTF_8), null,
                    List.of(new RecordHeader(IndexerHeaders.TENANT, "acme".getBytes(StandardCharsets.UTF_8))));
            raw.send(tombstone);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.eventsFor("vid-mp4").stream()
                .anyMatch(ev -> ev.getStatus() == IndexStatus.DELETED));
        assertThat(store.count(collection, RowFilter.all().andMediaId("vid-mp4"))).isZero();
        assertThat(store.count(collection, RowFilter.all())).isEqualTo(totalRows - 4);
    }
}
