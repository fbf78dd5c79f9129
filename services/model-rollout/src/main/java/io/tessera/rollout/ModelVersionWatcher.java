package io.tessera.rollout;

import io.tessera.events.ModelVersion;
import io.tessera.rollout.internal.CompactedTopicReader;
import io.tessera.serde.PoisonPillException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows models.published from its beginning (assign + seekToBeginning, no consumer group, so every indexer process
 * sees every record) and reports each model's newest PROMOTED version as it appears.
 */
public final class ModelVersionWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelVersionWatcher.class);

    private final PromotedVersions versions = new PromotedVersions();
    private final CompactedTopicReader reader;

    /**
     * @param deserializer reads {@link ModelVersion} in the Confluent wire format
     * @param listener     called on the reader thread with each newer promoted version
     */
    public ModelVersionWatcher(String topic, Map<String, Object> kafka, String clientId,
                               Deserializer<ModelVersion> deserializer, Consumer<PromotedVersion> listener) {
        this.reader = new CompactedTopicReader(topic, kafka, clientId, r -> {
            if (r.value() == null) {
                return;
            }
            ModelVersion v = null;
            for (int attempt = 1; v == null; attempt++) {
                try {
                    v = deserializer.deserialize(r.topic(), r.headers(), r.value());
                } catch (PoisonPillException e) {
                    LOG.warn("skipping unreadable {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
                    return;
                } catch (RuntimeException e) {
                    // The registry is unavailable: a promoted version must not be skipped, so wait for it.
                    if (attempt == 1) {
                        LOG.warn("cannot read {}-{}@{} yet: {}; retrying", r.topic(), r.partition(), r.offset(),
                                e.getMessage());
                    }
                    try {
                        Thread.sleep(Math.min(5_000, 200L * attempt));
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new org.apache.kafka.common.errors.InterruptException(ie);
                    }
                }
            }
            Optional<PromotedVersion> newer;
            synchronized (versions) {
                newer = versions.accept(v);
            }
            newer.ifPresent(listener);
        });
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
