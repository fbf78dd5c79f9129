package io.tessera.indexer.quarkus;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.WithDefault;
import io.tessera.events.Modality;
import io.tessera.settings.EmbeddingSettings;
import io.tessera.settings.FetchSettings;
import io.tessera.settings.KafkaSettings;
import io.tessera.settings.LimitsSettings;
import io.tessera.settings.MilvusSettings;
import io.tessera.settings.ModelSettings;
import io.tessera.settings.ModelStoreSettings;
import io.tessera.settings.ModelsDirSettings;
import io.tessera.settings.RegistrySettings;
import io.tessera.settings.TesseraNamespace;
import io.tessera.settings.TopicSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The configuration of an indexer service: the shared concerns of io.tessera.settings (topics, kafka, registry,
 * milvus, model, models, model-store, embedding, limits, fetch), the indexer's own roots below (pipeline, video,
 * document, text, rollout) and {@code tessera.modality} / {@code tessera.service}. Every key can also be given as an
 * environment variable, e.g. {@code TESSERA_MILVUS_URI}. Each indexer app sets {@code tessera.modality} and its HTTP
 * port; the rest has defaults that work against the local stack. Checked at start by {@link IndexerSettingsFactory}:
 * a bad value stops the service with a message naming the key; an unknown key is an error (SmallRye Config under
 * each root, {@link TesseraNamespace} for the roots themselves).
 *
 * @param modality IMAGE, VIDEO, DOCUMENT or TEXT (each app sets its own)
 * @param service  service name in dead letters, client ids and metrics; default {@code <modality>-indexer}
 */
public record IndexerConfig(Modality modality, Optional<String> service, TopicSettings topics, KafkaSettings kafka,
                            RegistrySettings registry, MilvusSettings milvus, ModelSettings model,
                            ModelsDirSettings models, ModelStoreSettings modelStore, EmbeddingSettings embedding,
                            Pipeline pipeline, LimitsSettings limits, FetchSettings fetch, Video video,
                            Document document, Text text, Rollout rollout) {

    /** Every mapping an indexer reads (registered by Quarkus from the index; listed for tests and the Helm contract). */
    public static final List<Class<?>> MAPPINGS = List.of(TopicSettings.class, KafkaSettings.class,
            RegistrySettings.class, MilvusSettings.class, ModelSettings.class, ModelsDirSettings.class,
            ModelStoreSettings.class, EmbeddingSettings.class, LimitsSettings.class, FetchSettings.class,
            Pipeline.class, Video.class, Document.class, Text.class, Rollout.class);

    /** From a configuration that has {@link #MAPPINGS} registered (Quarkus registers them at build time). */
    public static IndexerConfig from(SmallRyeConfig c) {
        TesseraNamespace.requireKnownRoots(c);
        return new IndexerConfig(c.getOptionalValue("tessera.modality", Modality.class).orElse(Modality.UNKNOWN),
                c.getOptionalValue("tessera.service", String.class), c.getConfigMapping(TopicSettings.class),
                c.getConfigMapping(KafkaSettings.class), c.getConfigMapping(RegistrySettings.class),
                c.getConfigMapping(MilvusSettings.class), c.getConfigMapping(ModelSettings.class),
                c.getConfigMapping(ModelsDirSettings.class), c.getConfigMapping(ModelStoreSettings.class),
                c.getConfigMapping(EmbeddingSettings.class), c.getConfigMapping(Pipeline.class),
                c.getConfigMapping(LimitsSettings.class), c.getConfigMapping(FetchSettings.class),
                c.getConfigMapping(Video.class), c.getConfigMapping(Document.class), c.getConfigMapping(Text.class),
                c.getConfigMapping(Rollout.class));
    }

    /** The blue/green roll-out of promoted model versions (services/model-rollout). */
    @ConfigMapping(prefix = "tessera.rollout")
    public interface Rollout {
        /** Follow PROMOTED versions on models.published; off pins the configured tessera.model.version. */
        @WithDefault("true")
        boolean enabled();

        /** The modalities whose backfill must have caught up before the alias flips: the indexers deployed. */
        @WithDefault("IMAGE,VIDEO,DOCUMENT,TEXT")
        List<Modality> modalities();

        /** How long the old collection is kept, read-only after the drain, after the flip; then it is dropped. */
        @WithDefault("10m")
        Duration gracePeriod();

        /**
         * How long after the flip arrivals are still written to the old collection too (each costs two embeddings
         * meanwhile): above search-api's longest alias cache (10 s), at most 1 min; also the wait for writes in flight.
         */
        @WithDefault("30s")
        Duration drainDelay();

        /** Catalog items re-indexed concurrently by a backfill. */
        @WithDefault("32")
        int backfillConcurrency();

        /** How often the roll-out checks the alias, retries failed steps and drops collections. */
        @WithDefault("2s")
        Duration tickInterval();
    }

    @ConfigMapping(prefix = "tessera.pipeline")
    public interface Pipeline {
        /**
         * The cores this indexer's decode pool, batch workers and ONNX Runtime intra-op threads share (see
         * {@link io.tessera.indexer.ThreadBudget}); default the processors the JVM sees (container CPU limits
         * included).
         */
        OptionalInt threadBudget();

        /** Fetch and decode workers; default a quarter of the thread budget, at least 1. */
        OptionalInt decodeThreads();

        /** Items per Milvus write. */
        @WithDefault("256")
        int writeBatchItems();

        @WithDefault("10ms")
        Duration writeMaxWait();

        /** Decoded media held at once, in MiB. */
        @WithDefault("256")
        long decodedBudgetMb();

        @WithDefault("200ms")
        Duration retryInitialBackoff();

        @WithDefault("5s")
        Duration retryMaxBackoff();

        /** During an outage, at most one log line per interval. */
        @WithDefault("30s")
        Duration quietLogInterval();

        /** How long a stop waits for records in flight. */
        @WithDefault("20s")
        Duration shutdownTimeout();
    }

    @ConfigMapping(prefix = "tessera.video")
    public interface Video {
        /** Frames are sampled at 0, interval, 2 x interval, ... */
        @WithDefault("1s")
        Duration frameInterval();

        /**
         * Consecutive sampled frames are merged into one moment (one row, spanning them all) while each one's vector
         * has at least this cosine similarity with the moment's mean so far; a scene cut or a change of the text OCR
         * read always starts a new moment. A cosine in (0, 1]: lower merges more. {@code off} (or 1) keeps one row
         * per sampled frame.
         */
        @WithDefault("0.96")
        String momentSimilarity();
    }

    @ConfigMapping(prefix = "tessera.document")
    public interface Document {
        @WithDefault("96")
        int dpi();

        /** Pages are rendered at a lower DPI when the configured one would give more pixels than this. */
        @WithDefault("4000000")
        long maxPagePixels();

        /** Weight of a page's text-layer embedding against its image embedding. */
        @WithDefault("0.5")
        double pageTextWeight();

        /** Instruction task for page text. */
        @WithDefault("document")
        String textTask();
    }

    @ConfigMapping(prefix = "tessera.text")
    public interface Text {
        /** Instruction task for texts; default the model's default task. */
        Optional<String> task();

        /** Tokens shared by consecutive chunks. */
        @WithDefault("15")
        int chunkOverlapTokens();
    }
}
