package io.tessera.catalog.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.MediaArrived;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class CompactedTopicReaderTest {

    private final FakeTopic topic = new FakeTopic(1);

    @Test
    void aHandlerThatThrowsSkipsThatRecordOnly() {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (CompactedTopicReader reader = new CompactedTopicReader(FakeTopic.TOPIC, r -> {
            String key = CompactedTopicReader.key(r);
            if (key.equals("bad")) {
                throw new IllegalArgumentException("cannot handle");
            }
            seen.add(key);
        }, topic.consumers()).start()) {
            await().until(() -> !topic.main.assignment().isEmpty());
            topic.append(0, "a", "x");
            topic.append(0, "bad", "x");
            topic.append(0, "c", "x");
            await().until(() -> seen.size() == 2);
            assertThat(seen).containsExactly("a", "c");
        }
    }

    @Test
    void decodingSkipsPoisonPillsWaitsOutTheRegistryAndPassesTombstones() {
        topic.value("v", FakeTopic.item("a", "acme", FakeTopic.reference("file:/a")));
        topic.value("flaky", FakeTopic.item("b", "acme", FakeTopic.reference("file:/b")));
        List<Map.Entry<String, String>> seen = new CopyOnWriteArrayList<>();
        try (CompactedTopicReader reader = new CompactedTopicReader(FakeTopic.TOPIC,
                CompactedTopicReader.decoding(topic.deserializer(), (String key, MediaArrived v) ->
                        seen.add(Map.entry(key, v == null ? "tombstone" : v.getMediaId()))),
                topic.consumers()).start()) {
            await().until(() -> !topic.main.assignment().isEmpty());
            topic.append(0, "a", "v");
            topic.append(0, "p", "poison");
            topic.append(0, "b", "flaky");
            topic.append(0, "a", null);
            await().until(() -> seen.size() == 3);
            assertThat(seen).containsExactly(Map.entry("a", "a"), Map.entry("b", "b"), Map.entry("a", "tombstone"));
            assertThat(reader.caughtUp()).isDone();
        }
    }

    @Test
    void aFailingPollIsRetriedAndReadingGoesOn() {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (CompactedTopicReader reader = new CompactedTopicReader(FakeTopic.TOPIC,
                r -> seen.add(CompactedTopicReader.key(r)), topic.consumers()).start()) {
            await().until(() -> !topic.main.assignment().isEmpty());
            topic.main.setPollException(new org.apache.kafka.common.KafkaException("broker went away"));
            topic.append(0, "a", "x");
            await().until(() -> seen.size() == 1);
            assertThat(seen).containsExactly("a");
            assertThat(reader.caughtUp()).isDone();
        }
    }

    @Test
    void closingAReaderThatNeverStartedClosesItsConsumer() {
        new CompactedTopicReader(FakeTopic.TOPIC, r -> { }, topic.consumers()).close();
        assertThat(topic.main.closed()).isTrue();
    }
}
