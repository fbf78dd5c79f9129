package io.tessera.rollout;

import io.tessera.catalog.client.CompactedTopicReader;
import io.tessera.events.KafkaConnection;
import io.tessera.events.ModelVersion;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Follows models.published from its beginning (no consumer group, so every indexer process sees every record) and
 * reports each model's newest PROMOTED version as it appears. A registry that is down is waited out: a promoted
 * version must not be skipped.
 */
public final class ModelVersionWatcher implements AutoCloseable {

    private final PromotedVersions versions = new PromotedVersions();
    private final CompactedTopicReader reader;

    /**
     * @param deserializer reads {@link ModelVersion} in the Confluent wire format
     * @param listener     called on the reader thread with each newer promoted version
     */
    public ModelVersionWatcher(String topic, KafkaConnection kafka, String clientId,
                               Deserializer<ModelVersion> deserializer, Consumer<PromotedVersion> listener) {
        this.reader = new CompactedTopicReader(kafka, topic, clientId,
                CompactedTopicReader.decoding(deserializer, (key, v) -> {
                    if (v == null) {
                        return;
                    }
                    Optional<PromotedVersion> newer;
                    synchronized (versions) {
                        newer = versions.accept(v);
                    }
                    newer.ifPresent(listener);
                }));
    }

    public ModelVersionWatcher start() {
        reader.start();
        return this;
    }

    /** Completes once the records present at start have been read. */
    public CompletableFuture<Void> caughtUp() {
        return reader.caughtUp();
    }

    public Optional<PromotedVersion> latest(String modelName) {
        synchronized (versions) {
            return versions.latest(modelName);
        }
    }

    @Override
    public void close() {
        reader.close();
    }
}
