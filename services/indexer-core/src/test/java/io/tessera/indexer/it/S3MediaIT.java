package io.tessera.indexer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.ContentReference;
import io.tessera.events.IndexStatus;
import io.tessera.events.MediaArrived;
import io.tessera.events.MediaIndexed;
import io.tessera.events.Modality;
import io.tessera.events.Topics;
import io.tessera.indexer.Indexer;
import io.tessera.indexer.IndexerSettings;
import io.tessera.indexer.TargetCollections;
import io.tessera.media.FetchConfig;
import io.tessera.media.VideoWriter;
import io.tessera.stack.StackConfig;
import io.tessera.testing.LocalStackExtension;
import io.tessera.testing.ObjectStores;
import io.tessera.testing.StackEndpoints;
import io.tessera.vectorstore.CollectionNaming;
import io.tessera.vectorstore.IndexType;
import io.tessera.vectorstore.StoredRow;
import io.tessera.vectorstore.VectorStore;
import io.tessera.vectorstore.VectorStoreConfig;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A video of more than 5 MB in the local stack's bucket, published as an {@code s3://} reference, is fetched by the
 * video indexer (sha256 checked) and indexed; a reference to a missing object becomes a FAILED item with its reason
 * and a dead letter, and the partition keeps flowing.
 */
@ExtendWith(LocalStackExtension.class)
class S3MediaIT {

    @Test
    void aLargeVideoInTheBucketIsIndexedAndAMissingObjectIsDeadLettered(StackEndpoints stack) throws Exception {
        StackConfig config = StackConfig.fromEnvironment();
        String id = ItSupport.unique("s3media");
        String prefix = id + "-";
        CollectionNaming naming = new CollectionNaming(id + "_");
        ItSupport.createTopics(stack, 1, List.of(Topics.withPrefix(prefix, Topics.MEDIA_VIDEO),
                Topics.withPrefix(prefix, Topics.MEDIA_INDEXED), Topics.withPrefix(prefix, Topics.MEDIA_DLQ)));

        byte[] video = noiseVideo();
        assertThat(video.length).as("a video of more than 5 MB").isGreaterThan(5 * 1024 * 1024);
        String key = "it/" + id + "/clip.mp4";
        try (S3Client s3 = ObjectStores.client()) {
            s3.putObject(b -> b.bucket(StackConfig.S3_BUCKET).key(key), RequestBody.fromBytes(video));
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(video));
        FetchConfig fetch = FetchConfig.builder().maxBytes(64L << 20)
                .s3(new FetchConfig.S3Access(Optional.of(URI.create(config.s3Endpoint())), StackConfig.S3_REGION, true,
                        Optional.of(StackConfig.S3_ACCESS_KEY), Optional.of(StackConfig.S3_SECRET_KEY),
                        Set.of(StackConfig.S3_BUCKET)))
                .build();

        try (VectorStore store = VectorStore.connect(VectorStoreConfig.defaults(stack.milvusUri()).withNaming(naming)
                .withIndexType(IndexType.FLAT));
             ItSupport.Outcomes outcomes = new ItSupport.Outcomes(stack, Topics.withPrefix(prefix, Topics.MEDIA_INDEXED),
                     Topics.withPrefix(prefix, Topics.MEDIA_DLQ));
             Indexer indexer = Indexer.builder(IndexerSettings.builder(Modality.VIDEO).topicPrefix(prefix)
                             .groupId(prefix + "video").decodeThreads(2).build())
                     .kafka(stack.kafkaBootstrap()).registry(stack.registryUrl()).vectorStore(store)
                     .targets(TargetCollections.single(ItSupport.runtime())).modelStore(ItSupport.models())
                     .fetch(fetch).start();
             KafkaProducer<String, MediaArrived> producer = ItSupport.producer(stack)) {
            String topic = Topics.withPrefix(prefix, Topics.MEDIA_VIDEO);
            ItSupport.send(producer, topic, reference("s3-missing", "s3://" + StackConfig.S3_BUCKET + "/it/" + id
                    + "/nothing-here.mp4", null, null));
            ItSupport.send(producer, topic, reference("s3-video", "s3://" + StackConfig.S3_BUCKET + "/" + key,
                    (long) video.length, sha));

            await().atMost(Duration.ofSeconds(120)).until(() -> !outcomes.eventsFor("s3-video").isEmpty()
                    && !outcomes.eventsFor("s3-missing").isEmpty());
            MediaIndexed indexed = outcomes.eventsFor("s3-video").get(0);
            assertThat(indexed.getStatus()).as(String.valueOf(indexed.getError())).isEqualTo(IndexStatus.INDEXED);
            List<StoredRow> rows = store.itemRows(indexed.getCollection(), "acme", "s3-video", true);
            // Noise frames look alike to the model: one moment, which is the whole video (one row).
            assertThat(rows).isNotEmpty().allSatisfy(r -> assertThat(r.endMs()).isGreaterThanOrEqualTo(7000L));
            MediaIndexed missing = outcomes.eventsFor("s3-missing").get(0);
            assertThat(missing.getStatus()).isEqualTo(IndexStatus.FAILED);
            assertThat(missing.getError()).contains("does not exist");
            await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.deadLetters.size() == 1);
            for (var c : store.listCollections("tessera-tiny")) {
                store.dropAlias(c.alias());
                store.dropCollection(c.collection());
            }
        }
    }

    private static MediaArrived reference(String mediaId, String uri, Long size, String sha256) {
        return MediaArrived.newBuilder().setMediaId(mediaId).setTenant("acme").setModality(Modality.VIDEO)
                .setContentType("video/mp4").setContent(new ContentReference(uri, size, sha256))
                .setInstruction(null).setAttributes(Map.of("source", "s3")).setOccurredAt(Instant.now()).build();
    }

    /** Eight seconds of 640x480 noise at 10 fps: noise does not compress, so the file is large (~5.8 MB). */
    private static byte[] noiseVideo() throws Exception {
        Random random = new Random(11);
        List<BufferedImage> frames = new ArrayList<>();
        for (int f = 0; f < 80; f++) {
            BufferedImage frame = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
            int[] pixels = new int[640 * 480];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = random.nextInt(0x1000000);
            }
            frame.setRGB(0, 0, 640, 480, pixels, 0, 640);
            frames.add(frame);
        }
        return VideoWriter.encode(VideoWriter.Format.MP4_H264, 10, frames);
    }
}
