package io.tessera.indexer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.IndexStatus;
import io.tessera.events.MediaArrived;
import io.tessera.events.Modality;
import io.tessera.events.Topics;
import io.tessera.indexer.DependencyHealth;
import io.tessera.indexer.Indexer;
import io.tessera.indexer.IndexerSettings;
import io.tessera.indexer.TargetCollections;
import io.tessera.indexer.TestMedia;
import io.tessera.media.FetchConfig;
import io.tessera.testing.LocalStackExtension;
import io.tessera.testing.StackEndpoints;
import io.tessera.vectorstore.CollectionNaming;
import io.tessera.vectorstore.IndexType;
import io.tessera.retry.RetryPolicy;
import io.tessera.vectorstore.RowFilter;
import io.tessera.vectorstore.VectorStore;
import io.tessera.vectorstore.VectorStoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Milvus stops for 30 s in the middle of a stream and comes back: nothing is lost (every item has its row, exactly
 * once), nothing is dead-lettered, and meanwhile the indexer reports Milvus down and pauses consumption.
 */
@ExtendWith(LocalStackExtension.class)
class MilvusOutageIT {

    private static final int ITEMS = 300;

    @TempDir
    Path dir;

    @Test
    void milvusDownForThirtySecondsMidStreamLosesNothingAndDeadLettersNothing(StackEndpoints stack) throws Exception {
        String id = ItSupport.unique("outage");
        String prefix = id + "-";
        CollectionNaming naming = new CollectionNaming(id + "_");
        String source = Topics.withPrefix(prefix, Topics.MEDIA_TEXT);
        ItSupport.createTopics(stack, 2, List.of(source, Topics.withPrefix(prefix, Topics.MEDIA_INDEXED),
                Topics.withPrefix(prefix, Topics.MEDIA_DLQ)));
        try (PrivateMilvus milvus = new PrivateMilvus(dir.resolve("milvus"))) {
            milvus.start(Duration.ofSeconds(90));
            VectorStore store = VectorStore.connect(VectorStoreConfig.defaults(milvus.uri()).withNaming(naming)
                    .withIndexType(IndexType.FLAT).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(3))
                    .withRetryPolicy(RetryPolicy.bounded(2, Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(2))));
            IndexerSettings settings = IndexerSettings.builder(Modality.TEXT).topicPrefix(prefix).groupId(prefix + "text")
                    .maxInFlight(40).pollRecords(20).decodeThreads(2)
                    .retryBackoff(Duration.ofMillis(200), Duration.ofSeconds(2)).build();
            AtomicBoolean publishing = new AtomicBoolean(true);
            AtomicInteger published = new AtomicInteger();
            try (ItSupport.Outcomes outcomes = new ItSupport.Outcomes(stack, Topics.withPrefix(prefix,
                    Topics.MEDIA_INDEXED), Topics.withPrefix(prefix, Topics.MEDIA_DLQ));
                 Indexer indexer = Indexer.builder(settings).kafka(stack.kafkaBootstrap()).registry(stack.registryUrl())
                         .vectorStore(store).targets(TargetCollections.single(ItSupport.runtime()))
                         .modelStore(ItSupport.models()).fetch(FetchConfig.defaults()).start()) {
                Thread publisher = Thread.ofPlatform().start(() -> {
                    try (KafkaProducer<String, MediaArrived> producer = ItSupport.producer(stack)) {
                        for (int i = 0; i < ITEMS && publishing.get(); i++) {
                            ItSupport.send(producer, source, TestMedia.text("text-" + i, "acme",
                                    "item " + i + " " + TestMedia.words(i, 6)));
                            published.incrementAndGet();
                            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(60).toNanos());
                        }
                    }
                });
                await().atMost(Duration.ofSeconds(60)).until(() -> indexedCount(outcomes) >= 50);

                milvus.stop();
                int before = indexedCount(outcomes);
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> indexer.health().isDown(DependencyHealth.Dependency.MILVUS));
                // 30 s without Milvus while records keep arriving: they wait (paused), none is dead-lettered.
                await().during(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(35))
                        .until(() -> outcomes.deadLetters.isEmpty() && indexedCount(outcomes) == before);
                assertThat(indexer.consumer().isPaused()).as("paused while Milvus is down").isTrue();
                milvus.start(Duration.ofSeconds(90));

                publisher.join();
                await().atMost(Duration.ofSeconds(120)).until(() -> indexedCount(outcomes) == ITEMS);
                assertThat(indexer.health().isDown(DependencyHealth.Dependency.MILVUS)).isFalse();
                assertThat(outcomes.deadLetters).isEmpty();
                String collection = naming.collection("tessera-tiny", 1);
                assertThat(store.count(collection, RowFilter.all())).isEqualTo(ITEMS);
                System.err.printf("[outage-it] %d indexed before the outage, %d published, %d events%n", before,
                        published.get(), outcomes.events.size());
            } finally {
                publishing.set(false);
                store.close();
            }
        }
    }

    private static int indexedCount(ItSupport.Outcomes outcomes) {
        return (int) outcomes.events.stream().filter(e -> e.getStatus() == IndexStatus.INDEXED)
                .map(e -> e.getMediaId()).distinct().count();
    }
}
