package io.tessera.search.internal;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * search-api's configuration ({@code application.properties}, system properties, or environment variables such as
 * {@code TESSERA_SEARCH_API_KEYS}). Validated at start by {@link SearchProducers}: a bad value stops the service
 * with a message naming the property.
 */
@ConfigMapping(prefix = "tessera")
public interface SearchSettings {

    Milvus milvus();

    Kafka kafka();

    Registry registry();

    Topics topics();

    Models models();

    /** Where model versions are downloaded from ({@code tessera.model-store.*}); {@code models.dir} is the cache. */
    io.tessera.objectstore.ModelStoreConfig modelStore();

    Search search();

    /**
     * {@code tessera.fetch.*}: how content behind {@code s3://bucket/key} references is read for thumbnails and the
     * content endpoint. The indexers' keys, with the same meaning, so that one set of settings lets search-api show
     * what the indexers could index.
     */
    Fetch fetch();

    interface Fetch {
        S3 s3();
    }

    /** One S3-compatible store, connected as the model store is ({@code endpoint}, {@code region}, ...). */
    interface S3 extends io.tessera.objectstore.ModelStoreConfig.S3 {
        /** The buckets content may be read from; none: {@code s3://} content is not served. */
        Optional<List<String>> buckets();
    }

    interface Milvus {
        /** Milvus' gRPC endpoint. */
        @WithDefault("http://127.0.0.1:19530")
        String uri();

        /** {@code user:password} or an API key; none for Milvus Lite. */
        Optional<String> token();

        Optional<String> database();

        /** Prefix of every collection and alias name (must match the indexers'). */
        Optional<String> collectionPrefix();

        /** Deadline of one Milvus call; a search retries a transient failure within about three seconds. */
        @WithDefault("PT5S")
        Duration rpcTimeout();
    }

    interface Kafka {
        @WithDefault("${kafka.bootstrap.servers:127.0.0.1:9092}")
        String bootstrapServers();
    }

    interface Registry {
        /** The Confluent-compatible API of the schema registry. */
        @WithDefault("http://127.0.0.1:8081/apis/ccompat/v7")
        String url();
    }

    interface Topics {
        /** Prefix of every topic name (must match the other services'). */
        Optional<String> prefix();
    }

    interface Models {
        /** Local model store root; default {@code <tessera.root>/.tessera/models} (see DefaultModels). */
        Optional<Path> dir();
    }

    interface Search {
        /** {@code key1=tenantA,key2=tenantB}; from a secret. Without keys one default tenant is served. */
        Optional<String> apiKeys();

        /** A file of {@code key=tenant} lines (a mounted secret). */
        Optional<Path> apiKeysFile();

        /** The tenant served when no API keys are configured. */
        @WithDefault("default")
        String defaultTenant();

        /** The model whose alias points at the live collection. */
        @WithDefault("tessera-base")
        String modelName();

        /**
         * How long the alias lookup is cached (queries always search the collection the lookup returned); at most
         * 10 s, below the indexers' roll-out drain delay (see {@code LiveModel#MAX_ALIAS_TTL}).
         */
        @WithDefault("PT2S")
        Duration aliasTtl();

        @WithDefault("PT10S")
        Duration encodeTimeout();

        /** Largest query image, in bytes (base64 is checked against its decoded size). */
        @WithDefault("10485760")
        long maxImageBytes();

        /** Largest query image in width x height, checked on the header before decoding. */
        @WithDefault("40000000")
        long maxImagePixels();

        @WithDefault("2000")
        int maxTextChars();

        /** Rows fetched from Milvus per item asked for, before grouping rows into items. */
        @WithDefault("5")
        int overFetch();

        /** Moments, pages or chunks listed per grouped hit. */
        @WithDefault("3")
        int maxSegmentsPerItem();

        /**
         * How a search over several modalities makes their scores comparable before merging: zscore (standardised
         * within each modality's candidates), rrf (reciprocal rank fusion) or none (raw cosine). See ModalityFusion.
         */
        @WithDefault("zscore")
        String fusion();

        /**
         * Key of the HMAC that signs paging cursors (at least 16 characters, the same on every replica; from a
         * secret). Unset, a built-in key still makes an edited cursor a 400, but a client could forge one (which
         * grants nothing: the tenant always comes from the API key).
         */
        Optional<String> cursorSecret();

        Catalog catalog();

        Thumbnails thumbnails();

        Embedding embedding();
    }

    interface Catalog {
        /** media-catalog's HTTP base URL: GET /v1/media/{id} is answered from it. */
        @WithDefault("http://127.0.0.1:8085")
        String url();

        @WithDefault("PT5S")
        Duration timeout();
    }

    interface Thumbnails {
        /** Follow media.catalog to serve thumbnails of inline content and allowlisted references. */
        @WithDefault("true")
        boolean enabled();

        /** Longest side of a thumbnail, pixels. */
        @WithDefault("160")
        int size();

        @WithDefault("67108864")
        long cacheBytes();

        /** Directories under which file: references may be read. */
        Optional<List<Path>> fileRoots();

        /** Hosts (or host:port) http(s) references may be fetched from. */
        Optional<List<String>> allowedHosts();

        /** Largest content fetched to make a thumbnail. */
        @WithDefault("268435456")
        long maxContentBytes();

        /** Videos and documents decoded at once; more requests wait. */
        @WithDefault("2")
        int maxConcurrentDecodes();
    }

    interface Embedding {
        /** AUTO (CUDA when present), CPU or CUDA. */
        @WithDefault("AUTO")
        String device();

        /** ONNX Runtime intra-op threads; 0 lets it choose. */
        @WithDefault("0")
        int intraOpThreads();

        @WithDefault("32")
        int maxBatchSize();

        /** How long a query waits for companions to share its batch. */
        @WithDefault("PT0.002S")
        Duration maxBatchWait();
    }
}
