package io.tessera.demo.run;

import io.tessera.demo.dataset.DatasetJson;
import io.tessera.demo.dataset.TrainingPair;
import io.tessera.events.CuratedPair;
import io.tessera.events.KafkaConnection;
import io.tessera.events.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Publishes a pairs file ({@code pairs.jsonl}, one {@code CuratedPair} per line, content URIs relative to the file)
 * to {@code pairs.curated}, keyed by pairId; backs {@code ./tessera pairs publish FILE} and the demo.
 */
public final class PairPublisher {

    private final KafkaConnection kafka;
    private final String registryUrl;

    /** To a plaintext broker (the local stack). */
    public PairPublisher(String bootstrapServers, String registryUrl) {
        this(KafkaConnection.plaintext(bootstrapServers), registryUrl);
    }

    public PairPublisher(KafkaConnection kafka, String registryUrl) {
        this.kafka = kafka;
        this.registryUrl = registryUrl;
    }

    /** The events a file holds, with absolute content URIs, in file order. */
    public static List<EventPublisher.Keyed<CuratedPair>> read(Path file) throws IOException {
        List<TrainingPair> pairs = DatasetJson.readPairsResolved(file);
        return pairs.stream().map(p -> new EventPublisher.Keyed<>(p.pairId(), PairEvents.of(p))).toList();
    }

    /**
     * @param topicPrefix put before {@code pairs.curated}; empty for none
     * @param progress    called with (acknowledged so far)
     * @return how many pairs were published
     */
    public int publish(List<EventPublisher.Keyed<CuratedPair>> pairs, String topicPrefix, IntConsumer progress) {
        String topic = Topics.withPrefix(topicPrefix, Topics.PAIRS_CURATED);
        try (EventPublisher<CuratedPair> publisher = new EventPublisher<>(kafka, registryUrl,
                "tessera-pairs-publish", 1 << 20)) {
            return publisher.publish(topic, pairs, progress);
        }
    }
}
