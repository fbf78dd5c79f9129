package io.tessera.indexer.quarkus;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.tessera.embedding.Device;
import io.tessera.events.Modality;
import io.tessera.objectstore.ModelStoreConfig;
import io.tessera.vectorstore.IndexType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The configuration of an indexer service ({@code tessera.*}; every key can also be given as an environment
 * variable, e.g. {@code TESSERA_MILVUS_URI}). Each indexer app sets {@code tessera.modality} and its HTTP port; the
 * rest has defaults that work against the local stack. Checked at start by {@link IndexerSettingsFactory}: a bad
 * value stops the service with a message naming the key.
 */
@ConfigMapping(prefix = "tessera")
public interface IndexerConfig {

    /** IMAGE, VIDEO, DOCUMENT or TEXT (each app sets its own). */
    Modality modality();

    /** Service name in dead letters, client ids and metrics; default {@code <modality>-indexer}. */
    Optional<String> service();

    Topics topics();

    Kafka kafka();

    Registry registry();

    Milvus milvus();

    Model model();

    /** Where promoted versions are downloaded from ({@code tessera.model-store.*}); the store dir is the cache. */
    ModelStoreConfig modelStore();

    Embedding embedding();

    Pipeline pipeline();

    Limits limits();

    Fetch fetch();

    Video video();

    Document document();

    Text text();

    Rollout rollout();

    /** The blue/green roll-out of promoted model versions (services/model-rollout). */
    interface Rollout {
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

    interface Topics {
        /** Put before every topic name (deployments sharing a cluster), e.g. {@code prod-}; as media-catalog's. */
        Optional<String> prefix();
    }

    interface Kafka {
        /** Brokers; the stack's {@code KAFKA_BOOTSTRAP_SERVERS} is honoured. */
        @WithDefault("${kafka.bootstrap.servers:127.0.0.1:9092}")
        String bootstrapServers();

        /** Consumer group; default {@code tessera-<service>}. */
        Optional<String> groupId();

        /** Records per poll. */
        @WithDefault("256")
        int pollRecords();

        /** Unfinished records at which partitions pause. */
        @WithDefault("512")
        int maxInFlight();

        @WithDefault("200ms")
        Duration commitInterval();

        /**
         * Extra Kafka client properties (tuning) for consumer and producer. Security (security.protocol, sasl.*,
         * ssl.*) belongs in {@code kafka.*} ({@code KAFKA_*}), which every service and client reads.
         */
        Map<String, String> client();
    }

    interface Registry {
        /** The Confluent-compatible API of the schema registry. */
        @WithDefault("http://127.0.0.1:8081/apis/ccompat/v7")
        String url();

        /** Register the MediaIndexed schema if missing (production: false, the release pipeline registers). */
        @WithDefault("true")
        boolean autoRegister();

        /** {@code user:password} for basic auth. */
        Optional<String> basicAuthUserInfo();
    }

    interface Milvus {
        @WithDefault("http://127.0.0.1:19530")
        String uri();

        /** {@code user:password} or an API key; none for Milvus Lite. */
        Optional<String> token();

        Optional<String> database();

        /** Put before every collection and alias name. */
        Optional<String> collectionPrefix();

        /** AUTOINDEX, HNSW, IVF_FLAT or FLAT (always COSINE). */
        @WithDefault("AUTOINDEX")
        IndexType indexType();

        /** Rows per upsert request. */
        @WithDefault("500")
        int writeBatchSize();

        /** Deadline of each call (also how long a call waits while Milvus is down before it is retried). */
        @WithDefault("10s")
        Duration rpcTimeout();

        /** Flush after each write: needed for Milvus Lite's durability, off for a standalone Milvus. */
        @WithDefault("true")
        boolean flushAfterWrites();
    }

    interface Model {
        /**
         * The local model store (the cache of {@code tessera.model-store.uri} when that is set); default
         * {@code <tessera.root>/.tessera/models} (or TESSERA_MODELS_DIR).
         */
        Optional<Path> storeDir();

        @WithDefault("tessera-base")
        String name();

        /** The version to serve; the default model's version 1 is installed from the classpath when missing. */
        @WithDefault("1")
        int version();
    }

    interface Embedding {
        /** AUTO (CUDA when usable), CPU or CUDA. */
        @WithDefault("AUTO")
        Device device();

        /** The most items per inference batch (images and texts each). */
        @WithDefault("32")
        int batchSize();

        /** How long a batch waits to fill. */
        @WithDefault("5ms")
        Duration batchWait();

        /** Items waiting for a batch; beyond that submitting blocks (back-pressure to the decode pool). */
        @WithDefault("2048")
        int queueCapacity();

        /**
         * ONNX Runtime threads per operator, the calling batch worker included; default from the thread budget
         * ({@code tessera.pipeline.thread-budget}); 0 = ONNX Runtime's own default, one per core.
         */
        OptionalInt intraOpThreads();

        /**
         * Batches in flight per tower: 2 overlaps one batch's host-side work (preprocessing, tokenizing, completing
         * callers) with the other's inference; 1 runs one inference at a time. Default from the thread budget.
         */
        OptionalInt batchWorkers();

        /**
         * Whether ONNX Runtime's intra-op threads busy-wait for work between parallel sections (its own default) or
         * sleep (off, the default here: the broker, Milvus and the decode pool want those cores; see
         * docs/operations.md, "Thread budget", for the measurement).
         */
        @WithDefault("false")
        boolean intraOpSpinning();
    }

    interface Pipeline {
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

    interface Limits {
        /** Bytes per item, inline or fetched (64 MiB). */
        @WithDefault("67108864")
        long maxBytes();

        /** Width x height of an image, read from its header before decoding. */
        @WithDefault("50000000")
        long maxPixels();

        @WithDefault("10m")
        Duration maxVideoDuration();

        @WithDefault("600")
        int maxFrames();

        @WithDefault("200")
        int maxPages();

        /** Characters of a text (and of all pages of a document). */
        @WithDefault("1000000")
        int maxTextChars();

        /** Time budget of decoding one item. */
        @WithDefault("60s")
        Duration decodeTimeout();
    }

    interface Fetch {
        /** Directories {@code file:} references may point into; none = no files. */
        Optional<List<Path>> fileRoots();

        /** Hosts ({@code host} or {@code host:port}) {@code http(s):} references may use; none = no remote content. */
        Optional<List<String>> allowedHosts();

        @WithDefault("file,http,https,s3")
        List<String> allowedSchemes();

        @WithDefault("5s")
        Duration connectTimeout();

        @WithDefault("30s")
        Duration requestTimeout();

        S3 s3();
    }

    /**
     * {@code s3://bucket/key} references: one S3-compatible store (AWS itself without an endpoint), connected the way
     * the model store is ({@link ModelStoreConfig.S3}: endpoint, region, path-style, credentials), plus the buckets.
     */
    interface S3 extends ModelStoreConfig.S3 {
        /** The buckets references may name; none: no S3 references are read. */
        Optional<List<String>> buckets();
    }

    interface Video {
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

    interface Document {
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

    interface Text {
        /** Instruction task for texts; default the model's default task. */
        Optional<String> task();

        /** Tokens shared by consecutive chunks. */
        @WithDefault("15")
        int chunkOverlapTokens();
    }
}
