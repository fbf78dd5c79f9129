package io.tessera.rollout;

import io.micrometer.core.instrument.MeterRegistry;
import io.tessera.catalog.client.CatalogCursor;
import io.tessera.catalog.client.CompactedTopicReader;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.events.KafkaConnection;
import io.tessera.events.MediaArrived;
import io.tessera.events.ModelVersion;
import io.tessera.events.Topics;
import io.tessera.rollout.internal.KafkaMarkerLog;
import io.tessera.rollout.internal.MarkerCodec;
import io.tessera.serde.SerdeConfig;
import io.tessera.serde.SpecificAvroDeserializer;
import io.tessera.vectorstore.VectorStore;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Rollout} wired to Kafka: the {@link ModelVersionWatcher} on models.published, a reader and a writer of
 * models.rollout (created compacted when missing), and media.catalog for backfills. What an indexer process runs.
 */
public final class RolloutKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RolloutKafka.class);

    /**
     * @param bootstrap  Kafka bootstrap servers
     * @param kafka      extra client properties (security, timeouts)
     * @param serde      serde properties, the registry URL ({@code schema.registry.url}) among them
     * @param topicPrefix the deployment's topic prefix (may be empty)
     */
    public record Settings(String bootstrap, Map<String, Object> kafka, Map<String, Object> serde, String topicPrefix) {
        public Settings {
            Objects.requireNonNull(bootstrap, "bootstrap");
            kafka = Map.copyOf(kafka);
            serde = Map.copyOf(serde);
            topicPrefix = topicPrefix == null ? "" : topicPrefix;
        }

        String topic(String name) {
            return Topics.withPrefix(topicPrefix, name);
        }

        Map<String, Object> client() {
            Map<String, Object> m = new HashMap<>(kafka);
            m.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            return m;
        }

        /** The readers' connection: {@code kafka} carries the security settings, and any other client setting. */
        KafkaConnection connection() {
            Map<String, String> settings = new HashMap<>();
            kafka.forEach((k, v) -> settings.put(k, String.valueOf(v)));
            return new KafkaConnection(bootstrap, settings);
        }
    }

    private final Rollout rollout;
    private final ModelVersionWatcher watcher;
    private final CompactedTopicReader markers;
    private final KafkaMarkerLog markerLog;

    private RolloutKafka(Rollout rollout, ModelVersionWatcher watcher, CompactedTopicReader markers,
                         KafkaMarkerLog markerLog) {
        this.rollout = rollout;
        this.watcher = watcher;
        this.markers = markers;
        this.markerLog = markerLog;
    }

    /** Creates and starts everything; {@link Rollout#ready()} tells when the indexer may consume. */
    public static RolloutKafka start(RolloutConfig config, Settings settings, VectorStore store, EmbeddingRuntime live,
                                     ModelLoader loader, BackfillIndexer indexer, MeterRegistry meters) {
        Map<String, Object> client = settings.client();
        String rolloutTopic = settings.topic(RolloutTopics.MODELS_ROLLOUT);
        ensureMarkerTopic(client, rolloutTopic);
        String id = config.instanceId();
        KafkaMarkerLog log = new KafkaMarkerLog(rolloutTopic, client, id + "-rollout-markers");
        KafkaConnection kafka = settings.connection();
        CatalogSource catalog = () -> CatalogCursor.open(kafka, settings.topic(Topics.MEDIA_CATALOG),
                id + "-rollout-backfill", deserializer(settings, MediaArrived.class));
        Rollout rollout = new Rollout(config, store, live, loader, log, catalog, indexer, meters, Clock.systemUTC());
        CompactedTopicReader markerReader = new CompactedTopicReader(kafka, rolloutTopic, id + "-rollout-feed", r -> {
            if (r.value() != null) {
                rollout.marker(MarkerCodec.decode(r.value()));
            }
        });
        ModelVersionWatcher watcher = new ModelVersionWatcher(settings.topic(Topics.MODELS_PUBLISHED), kafka,
                id + "-models-watch", deserializer(settings, ModelVersion.class), rollout::promoted);
        CompletableFuture.allOf(watcher.caughtUp(), markerReader.caughtUp())
                .thenRun(rollout::feedsCaughtUp);
        markerReader.start();
        watcher.start();
        rollout.start();
        return new RolloutKafka(rollout, watcher, markerReader, log);
    }

    public Rollout rollout() {
        return rollout;
    }

    public ModelVersionWatcher watcher() {
        return watcher;
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> SpecificAvroDeserializer<T> deserializer(
            Settings settings, Class<T> type) {
        SpecificAvroDeserializer<T> d = new SpecificAvroDeserializer<>();
        Map<String, Object> serde = new HashMap<>(settings.serde());
        serde.put(SerdeConfig.SPECIFIC_AVRO_VALUE_TYPE, type);
        d.configure(serde, false);
        return d;
    }

    /** models.rollout is this module's own topic: create it compacted when the deployment has not. */
    static void ensureMarkerTopic(Map<String, Object> client, String topic) {
        try (Admin admin = Admin.create(client)) {
            NewTopic t = new NewTopic(topic, 1, (short) -1).configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_COMPACT));
            admin.createTopics(List.of(t)).all().get(30, TimeUnit.SECONDS);
            LOG.info("created compacted topic {}", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warn("cannot create {} ({}); the roll-out will wait for it", topic, e.getCause().toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.warn("cannot create {} within 30 s; the roll-out will wait for it", topic);
        }
    }

    @Override
    public void close() {
        watcher.close();
        markers.close();
        rollout.close();
        markerLog.close();
    }

}
