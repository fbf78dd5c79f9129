package io.tessera.trainer;

import io.micrometer.core.instrument.MeterRegistry;
import io.tessera.catalog.client.CatalogTable;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.retry.Fault;
import io.tessera.retry.RetryPolicy;
import io.tessera.embedding.RuntimeConfig;
import io.tessera.events.CuratedPair;
import io.tessera.events.KafkaConnection;
import io.tessera.events.MediaArrived;
import io.tessera.events.ModelVersion;
import io.tessera.media.MediaDecoder;
import io.tessera.objectstore.ModelStores;
import io.tessera.serde.SpecificAvroDeserializer;
import io.tessera.trainer.features.CatalogLookup;
import io.tessera.trainer.kafka.ModelVersionPublisher;
import io.tessera.trainer.kafka.PublishedModelsReader;
import io.tessera.trainer.store.PairStore;
import io.tessera.trainer.store.RoundLedger;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the {@link TrainerEngine} to Quarkus: configuration, the pair store, the topic readers, the
 * {@code models.published} emitter, the schedule that checks the round trigger. The engine starts on a background
 * thread and retries until Kafka and the model store answer; readiness reports when it is up.
 */
@Startup
@ApplicationScoped
public class TrainerService {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerService.class);

    @Inject
    TrainerConfig config;

    @Inject
    MeterRegistry registry;

    /** Resolved at the first publication: the emitter's channel is wired after this @Startup bean is created. */
    @Inject
    Instance<ModelVersionPublisher> publisher;


    private TrainerSettings settings;
    private PairStore pairs;
    private MediaDecoder decoder;
    private CatalogTable catalog;
    private PublishedModelsReader published;
    private TrainerEngine engine;
    private Thread starter;

    @PostConstruct
    void init() {
        settings = TrainerSettings.from(config);
        pairs = PairStore.open(settings.dataDir());
        if (pairs.truncatedBytes() > 0) {
            LOG.warn("dropped a torn tail of {} bytes from the pair log (a crash mid-write; those pairs were never"
                    + " acknowledged and will be redelivered)", pairs.truncatedBytes());
        }
        decoder = new MediaDecoder(settings.fetch());
        // The same kafka.* settings (bootstrap, SASL, TLS) as the SmallRye channels: one place for every client.
        KafkaConnection kafka = KafkaConnection.from(key -> ConfigProvider.getConfig().getOptionalValue(key, String.class));
        // Inline media stays in memory: the trainer decodes every item of every round's pairs.
        catalog = new CatalogTable(kafka, settings.catalogTopic(), deserializer(MediaArrived.class),
                "trainer-catalog-reader", true).start();
        published = new PublishedModelsReader(kafka, settings.modelsTopic(), settings.modelName(),
                deserializer(ModelVersion.class));
        engine = new TrainerEngine(settings, pairs, new RoundLedger(settings.dataDir()),
                ModelStores.open(config.modelStore(), settings.modelsDir()), published,
                v -> publisher.get().publish(v),
                CatalogLookup.of(catalog), decoder, dir -> EmbeddingRuntime.start(dir, RuntimeConfig.defaults(), registry), registry,
                Clock.systemUTC());
        starter = new Thread(this::startEngine, "trainer-start");
        starter.setDaemon(true);
        starter.start();
        LOG.info("trainer for {}: pairs from {}, catalog {}, versions on {}, store {}, data {}", settings.modelName(),
                settings.pairsTopic(), settings.catalogTopic(), settings.modelsTopic(), settings.modelsDir(),
                settings.dataDir());
    }

    private void startEngine() {
        try {
            Retries.untilDone("trainer-start", RetryPolicy.unbounded(Duration.ofSeconds(1), Duration.ofSeconds(30)),
                    t -> t instanceof RuntimeException ? new Fault.Transient("KAFKA", t) : null,
                    (fault, wait) -> LOG.warn("trainer start failed; retrying in {} ms", wait.toMillis(), fault.cause()),
                    () -> {
                        engine.start(Duration.ofSeconds(30));
                        return null;
                    });
        } catch (IllegalStateException interrupted) {
            // Stopped while waiting (shutdown): nothing to start.
        }
    }

    private <T extends org.apache.avro.specific.SpecificRecord> SpecificAvroDeserializer<T> deserializer(Class<T> type) {
        SpecificAvroDeserializer<T> d = new SpecificAvroDeserializer<>();
        d.configure(Map.of("schema.registry.url", config.registry().url(), "specific.avro.value.type", type), false);
        return d;
    }

    @Scheduled(every = "${tessera.trainer.round.check-every:5s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void checkTrigger() {
        engine.maybeStartRound();
    }

    public PairStore.Outcome store(CuratedPair pair, int partition, long offset) {
        // A full disk is not the pair's fault: keep trying (the record stays unacknowledged meanwhile).
        return Retries.untilDone("pair-store",
                t -> t instanceof java.io.UncheckedIOException ? new Fault.Transient("DISK", t) : null,
                (fault, wait) -> LOG.error("cannot persist pair {} ({}); retrying in {} ms", pair.getPairId(),
                        fault.cause().getMessage(), wait.toMillis()),
                () -> pairs.put(pair, partition, offset));
    }

    public TrainerEngine engine() {
        return engine;
    }

    public TrainerSettings settings() {
        return settings;
    }

    public int catalogSize() {
        return catalog.size();
    }

    @PreDestroy
    void close() {
        starter.interrupt();
        engine.close();
        published.close();
        catalog.close();
        decoder.close();
        pairs.close();
    }
}
