package io.tessera.indexer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tessera.embedding.model.ModelStore;
import io.tessera.events.MediaArrived;
import io.tessera.events.Modality;
import io.tessera.indexer.kafka.IndexerConsumer;
import io.tessera.indexer.kafka.KafkaOutputs;
import io.tessera.media.FetchConfig;
import io.tessera.media.MediaDecoder;
import io.tessera.registry.RegistryConfig;
import io.tessera.serde.SerdeConfig;
import io.tessera.serde.SpecificAvroDeserializer;
import io.tessera.vectorstore.VectorStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * One running indexer: the Kafka consumer loop feeding the pipeline, the decoder, the producer of events and dead
 * letters. The Quarkus services, the integration tests and the benchmark all assemble indexers through this class,
 * so they run the same code. The embedding runtimes (in {@link TargetCollections}), the vector store and the model
 * store belong to the caller, which may share them between several indexers of one process.
 */
public final class Indexer implements AutoCloseable {

    private final IndexerSettings settings;
    private final MediaDecoder decoder;
    private final KafkaOutputs outputs;
    private final SpecificAvroDeserializer<MediaArrived> deserializer;
    private final IndexerPipeline pipeline;
    private final IndexerConsumer consumer;
    private final KafkaClientMetrics producerMetrics;
    private final DependencyHealth health;

    private Indexer(Builder b) {
        this.settings = b.settings;
        this.health = b.health != null ? b.health : new DependencyHealth(settings.quietLogInterval());
        IndexerMetrics metrics = new IndexerMetrics(b.meters, settings);
        if (settings.modality() == Modality.VIDEO || settings.modality() == Modality.IMAGE) {
            // FFmpeg decodes videos (and WebP): load it now so that readiness means ready.
            MediaDecoder.loadNatives();
        }
        this.decoder = new MediaDecoder(b.fetch, settings.decodeOptions());
        Map<String, Object> serde = new HashMap<>(b.serdeConfig);
        serde.put(RegistryConfig.URL, b.registryUrl);
        Map<String, Object> kafka = new HashMap<>(b.kafkaConfig);
        kafka.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, b.bootstrap);
        this.outputs = new KafkaOutputs(kafka, serde, settings.indexedTopic(), settings.service() + "-producer");
        this.producerMetrics = new KafkaClientMetrics(outputs.producer(), metrics.tags());
        producerMetrics.bindTo(b.meters);
        this.deserializer = new SpecificAvroDeserializer<>();
        Map<String, Object> readSerde = new HashMap<>(serde);
        readSerde.put(SerdeConfig.SPECIFIC_AVRO_VALUE_TYPE, MediaArrived.class);
        deserializer.configure(readSerde, false);
        this.pipeline = new IndexerPipeline(settings, decoder, b.targets, b.models, b.store, outputs, deserializer,
                health, metrics);
        this.consumer = new IndexerConsumer(settings, kafka, pipeline, metrics);
    }

    public static Builder builder(IndexerSettings settings) {
        return new Builder(settings);
    }

    public IndexerSettings settings() {
        return settings;
    }

    public IndexerPipeline pipeline() {
        return pipeline;
    }

    public IndexerConsumer consumer() {
        return consumer;
    }

    public DependencyHealth health() {
        return health;
    }

    /** Stops consuming (waiting for records in flight, bounded), then closes the pipeline and the clients. */
    @Override
    public void close() {
        consumer.close();
        pipeline.close();
        outputs.close();
        producerMetrics.close();
        deserializer.close();
        decoder.close();
    }

    public static final class Builder {
        private final IndexerSettings settings;
        private String bootstrap = "127.0.0.1:9092";
        private String registryUrl = "http://127.0.0.1:8081/apis/ccompat/v7";
        private final Map<String, Object> kafkaConfig = new HashMap<>();
        private final Map<String, Object> serdeConfig = new HashMap<>();
        private VectorStore store;
        private TargetCollections targets;
        private ModelStore models;
        private FetchConfig fetch = FetchConfig.defaults();
        private MeterRegistry meters = new SimpleMeterRegistry();
        private DependencyHealth health;

        private Builder(IndexerSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        public Builder kafka(String bootstrapServers) { bootstrap = bootstrapServers; return this; }
        /** Extra Kafka client properties for the consumer and the producer (security, timeouts...). */
        public Builder kafkaConfig(Map<String, ?> extra) { kafkaConfig.putAll(extra); return this; }
        public Builder registry(String url) { registryUrl = url; return this; }
        /** Extra serde properties (registry credentials, auto.register.schemas...). */
        public Builder serdeConfig(Map<String, ?> extra) { serdeConfig.putAll(extra); return this; }
        public Builder vectorStore(VectorStore v) { store = v; return this; }
        public Builder targets(TargetCollections v) { targets = v; return this; }
        public Builder modelStore(ModelStore v) { models = v; return this; }
        public Builder fetch(FetchConfig v) { fetch = v; return this; }
        public Builder meters(MeterRegistry v) { meters = v; return this; }
        public Builder health(DependencyHealth v) { health = v; return this; }

        /** Builds the indexer without starting to consume. */
        public Indexer build() {
            Objects.requireNonNull(store, "vectorStore");
            Objects.requireNonNull(targets, "targets");
            Objects.requireNonNull(models, "modelStore");
            return new Indexer(this);
        }

        /** Builds the indexer and starts consuming. */
        public Indexer start() {
            Indexer indexer = build();
            indexer.consumer.start();
            return indexer;
        }
    }
}
