package io.tessera.trainer.kafka;

import io.tessera.catalog.client.CompactedTopicReader;
import io.tessera.events.KafkaConnection;
import io.tessera.events.ModelVersion;
import io.tessera.trainer.TrainerEngine;
import io.tessera.trainer.round.PublishedModels;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.serialization.Deserializer;

/** {@code models.published}, followed from the beginning and folded into {@link PublishedModels}. */
public final class PublishedModelsReader implements TrainerEngine.PublishedView, AutoCloseable {

    private final PublishedModels state;
    private final CompactedTopicReader reader;

    public PublishedModelsReader(KafkaConnection kafka, String topic, String modelName, Deserializer<ModelVersion> values) {
        this.state = new PublishedModels(modelName);
        this.reader = new CompactedTopicReader(kafka, topic, "trainer-models-reader",
                CompactedTopicReader.decoding(values, (key, v) -> state.apply(v))).start();
    }

    @Override
    public PublishedModels catchUp(Duration timeout) {
        try {
            reader.awaitCaughtUp(timeout);
        } catch (TimeoutException e) {
            throw new IllegalStateException(e.getMessage() + ": is Kafka reachable?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while catching up with " + reader.topic(), e);
        }
        return state;
    }

    @Override
    public void close() {
        reader.close();
    }
}
