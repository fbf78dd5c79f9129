package io.tessera.indexer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.IndexStatus;
import io.tessera.events.MediaArrived;
import io.tessera.events.Modality;
import io.tessera.events.Topics;
import io.tessera.indexer.Indexer;
import io.tessera.indexer.IndexerHeaders;
import io.tessera.indexer.IndexerSettings;
import io.tessera.indexer.TargetCollections;
import io.tessera.indexer.TestMedia;
import io.tessera.media.FetchConfig;
import io.tessera.media.VideoWriter;
import io.tessera.serde.DeadLetterHeaders;
import io.tessera.testing.LocalStackExtension;
import io.tessera.testing.StackEndpoints;
import io.tessera.vectorstore.CollectionNaming;
import io.tessera.vectorstore.IndexType;
import io.tessera.vectorstore.RowFilter;
import io.tessera.vectorstore.VectorStore;
import io.tessera.vectorstore.VectorStoreConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input of every kind is dead-lettered with its reason (and a FAILED event where the mediaId is known) while the
 * good records behind it on the same partition are indexed.
 */
@ExtendWith(LocalStackExtension.class)
class BadInputIT {

    private static final long MAX_BYTES = 100_000;

    @TempDir
    Path dir;

    @Test
    void badRecordsGoToTheDlqWithTheirReasonAndGoodOnesBehindThemAreIndexed(StackEndpoints stack) throws Exception {
        String id = ItSupport.unique("bad");
        String prefix = id + "-";
        CollectionNaming naming = new CollectionNaming(id + "_");
        String image = Topics.withPrefix(prefix, Topics.MEDIA_IMAGE);
        String video = Topics.withPrefix(prefix, Topics.MEDIA_VIDEO);
        String document = Topics.withPrefix(prefix, Topics.MEDIA_DOCUMENT);
        ItSupport.createTopics(stack, 1, List.of(image, video, document, Topics.withPrefix(prefix, Topics.MEDIA_INDEXED),
                Topics.withPrefix(prefix, Topics.MEDIA_DLQ)));
        Path root = Files.createDirectories(dir.resolve("media"));
        Path outside = Files.write(dir.resolve("outside.jpg"), TestMedia.jpeg(77));
        Files.write(root.resolve("inside.jpg"), TestMedia.jpeg(78));
        FetchConfig fetch = FetchConfig.builder().maxBytes(MAX_BYTES).fileRoot(root).allowHost("media.allowed.test")
                .build();

        // The bad and good records in publication order, each partition's in one list; null = good.
        Map<String, String> expectedReason = new LinkedHashMap<>();
        List<ProducerRecord<byte[], byte[]>> raw = new ArrayList<>();
        List<MediaArrived> images = new ArrayList<>();
        images.add(good("img-good-1", TestMedia.jpeg(1)));
        images.add(bad("img-corrupt", TestMedia.truncated(TestMedia.jpeg(2), 0.6)));
        images.add(good("img-good-2", TestMedia.png(3)));
        images.add(bad("img-huge-header", TestMedia.pngClaiming(50_000, 50_000)));
        images.add(good("img-good-3", TestMedia.jpeg(4)));
        byte[] oversized = new byte[(int) MAX_BYTES + 50_000];
        new Random(5).nextBytes(oversized);
        images.add(bad("img-oversized", oversized));
        images.add(TestMedia.reference("img-outside-roots", "acme", Modality.IMAGE, "image/jpeg", outside.toUri().toString()));
        images.add(TestMedia.reference("img-other-host", "acme", Modality.IMAGE, "image/jpeg",
                "http://169.254.169.254/latest/meta-data"));
        images.add(TestMedia.reference("img-inside-roots", "acme", Modality.IMAGE, "image/jpeg",
                root.resolve("inside.jpg").toUri().toString()));
        expectedReason.put("img-corrupt", "TRUNCATED");
        expectedReason.put("img-huge-header", "PIXEL_LIMIT");
        expectedReason.put("img-oversized", "TOO_LARGE");
        expectedReason.put("img-outside-roots", "FILE_OUTSIDE_ROOTS");
        expectedReason.put("img-other-host", "URI_NOT_ALLOWED");
        byte[] notAvro = "{\"mediaId\":\"img-json\",\"tenant\":\"acme\"}".getBytes(StandardCharsets.UTF_8);
        List<String> goodIds = List.of("img-good-1", "img-good-2", "img-good-3", "img-inside-roots", "img-good-4",
                "vid-good", "doc-good");

        VectorStore store = VectorStore.connect(VectorStoreConfig.defaults(stack.milvusUri()).withNaming(naming)
                .withIndexType(IndexType.FLAT));
        List<Indexer> indexers = new ArrayList<>();
        try (ItSupport.Outcomes outcomes = new ItSupport.Outcomes(stack, Topics.withPrefix(prefix, Topics.MEDIA_INDEXED),
                Topics.withPrefix(prefix, Topics.MEDIA_DLQ))) {
            for (Modality m : List.of(Modality.IMAGE, Modality.VIDEO, Modality.DOCUMENT)) {
                indexers.add(Indexer.builder(IndexerSettings.builder(m).topicPrefix(prefix).groupId(prefix + m)
                                .decodeThreads(2).build())
                        .kafka(stack.kafkaBootstrap()).registry(stack.registryUrl()).vectorStore(store)
                        .targets(TargetCollections.single(ItSupport.runtime())).modelStore(ItSupport.models())
                        .fetch(fetch).start());
            }
            try (KafkaProducer<String, MediaArrived> producer = ItSupport.producer(stack);
                 KafkaProducer<byte[], byte[]> bytes = ItSupport.rawProducer(stack)) {
                for (MediaArrived e : images) {
                    ItSupport.send(producer, image, e);
                }
                bytes.send(new ProducerRecord<>(image, "img-json".getBytes(StandardCharsets.UTF_8), notAvro)).get();
                ItSupport.send(producer, image, good("img-good-4", TestMedia.jpeg(6)));

                ItSupport.send(producer, video, TestMedia.inline("vid-truncated", "acme", Modality.VIDEO, "video/mp4",
                        TestMedia.truncated(TestMedia.video(VideoWriter.Format.MP4_H264, 3, 9), 0.3)));
                ItSupport.send(producer, video, TestMedia.inline("vid-good", "acme", Modality.VIDEO, "video/mp4",
                        TestMedia.video(VideoWriter.Format.MP4_H264, 2, 10)));
                byte[] noise = new byte[4000];
                new Random(11).nextBytes(noise);
                ItSupport.send(producer, document, TestMedia.inline("doc-random", "acme", Modality.DOCUMENT,
                        "application/pdf", noise));
                ItSupport.send(producer, document, TestMedia.inline("doc-good", "acme", Modality.DOCUMENT,
                        "application/pdf", TestMedia.pdf(List.of("page one", "page two"))));
            }

            await().atMost(Duration.ofSeconds(120)).until(() -> goodIds.stream()
                    .allMatch(g -> outcomes.eventsFor(g).stream().anyMatch(e -> e.getStatus() == IndexStatus.INDEXED)));
            await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.deadLetters.size() >= 8);

            Map<String, ConsumerRecord<byte[], byte[]>> letters = new LinkedHashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : outcomes.deadLetters) {
                letters.put(new String(r.key(), StandardCharsets.UTF_8), r);
            }
            assertThat(letters).hasSize(8);
            for (var e : expectedReason.entrySet()) {
                ConsumerRecord<byte[], byte[]> letter = letters.get(e.getKey());
                assertThat(letter).as(e.getKey()).isNotNull();
                assertThat(outcomes.header(letter, IndexerHeaders.REASON_CODE)).as(e.getKey()).isEqualTo(e.getValue());
                assertThat(outcomes.header(letter, DeadLetterHeaders.TOPIC)).isEqualTo(image);
                assertThat(outcomes.header(letter, DeadLetterHeaders.PARTITION)).isEqualTo("0");
                assertThat(outcomes.header(letter, DeadLetterHeaders.OFFSET)).isNotNull();
                assertThat(outcomes.header(letter, DeadLetterHeaders.SERVICE)).isEqualTo("image-indexer");
                assertThat(outcomes.header(letter, DeadLetterHeaders.EXCEPTION_CLASS)).isNotBlank();
                assertThat(outcomes.header(letter, DeadLetterHeaders.REASON)).contains(e.getValue());
                var failed = outcomes.eventsFor(e.getKey());
                assertThat(failed).as(e.getKey()).hasSize(1);
                assertThat(failed.get(0).getStatus()).isEqualTo(IndexStatus.FAILED);
                assertThat(failed.get(0).getError()).contains(e.getValue());
            }
            ConsumerRecord<byte[], byte[]> json = letters.get("img-json");
            assertThat(json.value()).isEqualTo(notAvro);
            assertThat(outcomes.header(json, IndexerHeaders.REASON_CODE)).isEqualTo("BAD_MAGIC_BYTE");
            assertThat(outcomes.eventsFor("img-json")).isEmpty();
            assertThat(outcomes.header(letters.get("vid-truncated"), IndexerHeaders.REASON_CODE))
                    .isIn("TRUNCATED", "CORRUPT_VIDEO");
            assertThat(outcomes.header(letters.get("vid-truncated"), DeadLetterHeaders.TOPIC)).isEqualTo(video);
            assertThat(outcomes.header(letters.get("doc-random"), IndexerHeaders.REASON_CODE))
                    .isIn("CORRUPT_DOCUMENT", "UNSUPPORTED_FORMAT");
            assertThat(outcomes.eventsFor("vid-truncated").get(0).getStatus()).isEqualTo(IndexStatus.FAILED);
            assertThat(outcomes.eventsFor("doc-random").get(0).getStatus()).isEqualTo(IndexStatus.FAILED);

            String collection = naming.collection("tessera-tiny", 1);
            assertThat(store.count(collection, RowFilter.all().andModality("IMAGE"))).isEqualTo(5);
            assertThat(store.count(collection, RowFilter.all().andMediaId("vid-good"))).isEqualTo(3);
            assertThat(store.count(collection, RowFilter.all().andMediaId("doc-good"))).isEqualTo(3);
            for (String bad : letters.keySet()) {
                assertThat(store.count(collection, RowFilter.all().andMediaId(bad))).as(bad).isZero();
            }
        } finally {
            for (Indexer i : indexers) {
                i.close();
            }
            for (var c : store.listCollections("tessera-tiny")) {
                store.dropAlias(c.alias());
                store.dropCollection(c.collection());
            }
            store.close();
        }
    }

    private static MediaArrived good(String id, byte[] bytes) {
        return TestMedia.inline(id, "acme", Modality.IMAGE, bytes[0] == (byte) 0x89 ? "image/png" : "image/jpeg", bytes);
    }

    private static MediaArrived bad(String id, byte[] bytes) {
        return good(id, bytes);
    }
}
