package io.tessera.indexer.quarkus;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.model.DefaultModels;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.model.ModelRef;
import io.tessera.embedding.model.ModelStore;
import io.tessera.embedding.model.ModelStoreException;
import io.tessera.events.KafkaConnection;
import io.tessera.indexer.DependencyHealth;
import io.tessera.indexer.Indexer;
import io.tessera.indexer.IndexerSettings;
import io.tessera.indexer.TargetCollections;
import io.tessera.retry.Fault;
import io.tessera.retry.RetryPolicy;
import io.tessera.retry.Retrying;
import io.tessera.media.FetchConfig;
import io.tessera.media.MediaDecoder;
import io.tessera.objectstore.ModelStores;
import io.tessera.vectorstore.VectorStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import io.tessera.rollout.Rollout;
import io.tessera.rollout.RolloutConfig;
import io.tessera.rollout.RolloutKafka;
import io.tessera.rollout.StoreModelLoader;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.ConfigProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the indexer of a Quarkus app: checks the configuration at start (a bad value stops the app with a message
 * naming the key), loads the model in the background (retrying while the model store is unavailable, readiness
 * DOWN meanwhile), then starts consuming. At shutdown it stops consuming, waits for records in flight and commits.
 */
@ApplicationScoped
public class IndexerService {

    private static final Logger LOG = LoggerFactory.getLogger(IndexerService.class);

    @Inject
    IndexerConfig config;

    @Inject
    MeterRegistry meters;

    private IndexerSettings settings;
    private FetchConfig fetch;
    private VectorStore store;
    private DependencyHealth health;
    private volatile EmbeddingRuntime runtime;
    private volatile Indexer indexer;
    private volatile RolloutKafka rollout;
    private volatile String problem;
    private Thread starter;

    void onStart(@Observes StartupEvent event) {
        settings = IndexerSettingsFactory.settings(config);
        io.tessera.indexer.ThreadBudget budget = IndexerSettingsFactory.threadBudget(config);
        String threads = settings.service() + ": " + budget.describe() + "; ONNX Runtime spinning "
                + (config.embedding().intraOpSpinning() ? "on" : "off");
        if (budget.overcommitted()) {
            LOG.warn(threads);
        } else {
            LOG.info(threads);
        }
        if (config.rollout().enabled()) {
            // Checked here, at start, rather than when the roll-out starts after the model loaded: a drain that
            // search-api's alias cache could outlast would let a search miss items indexed right after it.
            RolloutConfig.requireDrainAboveReaderAliasCache(config.rollout().drainDelay());
            RolloutConfig.defaults(config.model().name(), config.modality())
                    .withGracePeriod(config.rollout().gracePeriod(), config.rollout().drainDelay());
        }
        fetch = IndexerSettingsFactory.fetch(config);
        new MediaDecoder(fetch, settings.decodeOptions()).close();
        Map<String, Object> serde = IndexerSettingsFactory.serde(config);
        store = VectorStore.connect(IndexerSettingsFactory.vectorStore(config));
        health = new DependencyHealth(settings.quietLogInterval());
        LOG.info("{}: {} -> Milvus {} (model {}/{}), events to {}, dead letters to {}", settings.service(),
                settings.sourceTopic(), config.milvus().uri(), config.model().name(), config.model().version(),
                settings.indexedTopic(), settings.deadLetterTopic());
        starter = Thread.ofPlatform().name("indexer-start").start(() -> startWhenModelLoads(serde));
    }

    private void startWhenModelLoads(Map<String, Object> serde) {
        ModelStore models = ModelStores.open(config.modelStore(),
                config.models().dir().orElse(DefaultModels.defaultStoreRoot()));
        ModelRef ref = new ModelRef(config.model().name(), config.model().version());
        // The shared retry (io.tessera.retry): a store that is away is waited out; anything else stops the service.
        Retrying retrying = Retrying.with("indexer-model-load", RetryPolicy.unbounded(settings.retryInitialBackoff(),
                        settings.retryMaxBackoff()))
                .classify(t -> t instanceof ModelStoreException m && m.isRetriable()
                        ? new Fault.Transient("MODEL_STORE", t) : null)
                .beforeRetry((fault, retry, wait) -> health.failed(DependencyHealth.Dependency.MODEL_STORE, fault.cause()))
                .build();
        try {
            runtime = retrying.get(() -> EmbeddingRuntime.start(DefaultModels.openOrInstall(models, ref),
                    IndexerSettingsFactory.runtime(config), meters));
            health.succeeded(DependencyHealth.Dependency.MODEL_STORE);
        } catch (ModelStoreException e) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            fatal("model " + ref + " cannot be served: " + e.getMessage() + " (check tessera.model.*)", e);
            return;
        } catch (RuntimeException e) {
            fatal("model " + ref + " cannot be loaded: " + e.getMessage(), e);
            return;
        }
        // Security (SASL, TLS) comes from the kafka.* settings every service reads (KafkaConnection); the
        // tessera.kafka.client.* map adds client tuning on top.
        KafkaConnection connection = KafkaConnection.from(
                key -> ConfigProvider.getConfig().getOptionalValue(key, String.class));
        Map<String, Object> kafka = new HashMap<>(connection.security());
        kafka.putAll(config.kafka().client());
        try {
            // The roll-out decides per record which model versions to write (two while it dual-writes).
            List<EmbeddingRuntime> single = List.of(runtime);
            TargetCollections targets = () -> {
                RolloutKafka r = rollout;
                return r == null ? single : r.rollout().runtimes();
            };
            Indexer built = Indexer.builder(settings)
                    .kafka(connection.bootstrapServers())
                    .kafkaConfig(kafka)
                    .registry(config.registry().url())
                    .serdeConfig(serde)
                    .vectorStore(store)
                    .targets(config.rollout().enabled() ? targets : TargetCollections.single(runtime))
                    .modelStore(models)
                    .fetch(fetch)
                    .meters(meters)
                    .health(health)
                    .build();
            if (config.rollout().enabled() && !startRollout(built, serde, connection, kafka, models)) {
                built.close();
                return;
            }
            built.consumer().start();
            indexer = built;
            LOG.info("{} serving {} ({})", settings.service(), runtime.model(), runtime.executionProvider());
        } catch (RuntimeException e) {
            fatal("the indexer could not start: " + e.getMessage(), e);
        }
    }

    /**
     * Starts following promoted model versions and waits until the roll-out knows which versions to write: after a
     * restart behind an alias flip, consuming earlier would write only the old collection. False when interrupted.
     */
    private boolean startRollout(Indexer built, Map<String, Object> serde, KafkaConnection connection,
                                 Map<String, Object> kafka, ModelStore models) {
        IndexerConfig.Rollout c = config.rollout();
        RolloutConfig rc = RolloutConfig.defaults(config.model().name(), config.modality())
                .withModalities(EnumSet.copyOf(c.modalities()))
                .withGracePeriod(c.gracePeriod(), c.drainDelay())
                .withTiming(c.tickInterval(), settings.retryMaxBackoff())
                .withBackfillConcurrency(c.backfillConcurrency())
                .withInstanceId(settings.service() + "@" + ProcessHandle.current().pid());
        var pipeline = built.pipeline();
        rollout = RolloutKafka.start(rc, new RolloutKafka.Settings(connection.bootstrapServers(), kafka, serde,
                        config.topics().prefix().orElse("")), store, runtime,
                new StoreModelLoader(models, IndexerSettingsFactory.runtime(config), meters), pipeline::reindex, meters);
        for (int waited = 0; ; waited++) {
            try {
                rollout.rollout().ready().get(10, TimeUnit.SECONDS);
                return true;
            } catch (TimeoutException e) {
                LOG.info("{} waits for the model roll-out state (models.published, models.rollout, Milvus): {}",
                        settings.service(), rollout.rollout().status().lastError());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException e) {
                return false;
            }
        }
    }

    private void fatal(String message, Throwable e) {
        problem = message;
        LOG.error(message, e);
        Quarkus.asyncExit(1);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (starter != null) {
            starter.interrupt();
        }
        Indexer running = indexer;
        if (running != null) {
            running.close();
        }
        if (rollout != null) {
            rollout.close();
        }
        if (runtime != null) {
            runtime.close();
        }
        if (store != null) {
            store.close();
        }
    }

    public Optional<EmbeddingRuntime> runtime() {
        return Optional.ofNullable(runtime);
    }

    public Optional<Indexer> indexer() {
        return Optional.ofNullable(indexer);
    }

    public boolean rolloutEnabled() {
        return config.rollout().enabled();
    }

    /** The model roll-out; empty while starting or when {@code tessera.rollout.enabled=false}. */
    public Optional<Rollout> rollout() {
        RolloutKafka r = rollout;
        return r == null ? Optional.empty() : Optional.of(r.rollout());
    }

    public DependencyHealth health() {
        return health;
    }

    public VectorStore store() {
        return store;
    }

    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    public IndexerSettings settings() {
        return settings;
    }
}
