package io.tessera.search.internal;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.WithDefault;
import io.tessera.settings.EmbeddingSettings;
import io.tessera.settings.FetchSettings;
import io.tessera.settings.MilvusSettings;
import io.tessera.settings.ModelSettings;
import io.tessera.settings.ModelStoreSettings;
import io.tessera.settings.ModelsDirSettings;
import io.tessera.settings.RegistrySettings;
import io.tessera.settings.TesseraNamespace;
import io.tessera.settings.TopicSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * search-api's configuration: the shared concerns it reads (milvus, registry, topics, model, models, model-store,
 * fetch: what content it may show, with the indexers' keys; embedding: its query encoder) and its own
 * {@code tessera.search.*}. Environment variables work too ({@code TESSERA_SEARCH_API_KEYS}, {@code TESSERA_MILVUS_URI},
 * {@code KAFKA_BOOTSTRAP_SERVERS}, ...). Validated at start by {@link SearchProducers}: a bad value stops the service
 * with a message naming the property; an unknown key is an error.
 */
public record SearchSettings(MilvusSettings milvus, RegistrySettings registry, TopicSettings topics, ModelSettings model,
                             ModelsDirSettings models, ModelStoreSettings modelStore, FetchSettings fetch,
                             EmbeddingSettings embedding, Search search) {

    /** Every mapping search-api reads (registered by Quarkus from the index; listed for tests and the Helm contract). */
    public static final List<Class<?>> MAPPINGS = List.of(MilvusSettings.class, RegistrySettings.class,
            TopicSettings.class, ModelSettings.class, ModelsDirSettings.class, ModelStoreSettings.class,
            FetchSettings.class, EmbeddingSettings.class, Search.class);

    public static SearchSettings from(SmallRyeConfig c) {
        TesseraNamespace.requireKnownRoots(c);
        return new SearchSettings(c.getConfigMapping(MilvusSettings.class), c.getConfigMapping(RegistrySettings.class),
                c.getConfigMapping(TopicSettings.class), c.getConfigMapping(ModelSettings.class),
                c.getConfigMapping(ModelsDirSettings.class), c.getConfigMapping(ModelStoreSettings.class),
                c.getConfigMapping(FetchSettings.class), c.getConfigMapping(EmbeddingSettings.class),
                c.getConfigMapping(Search.class));
    }

    @ConfigMapping(prefix = "tessera.search")
    public interface Search {
        /** {@code key1=tenantA,key2=tenantB}; from a secret. Without keys one default tenant is served. */
        Optional<String> apiKeys();

        /** A file of {@code key=tenant} lines (a mounted secret). */
        Optional<Path> apiKeysFile();

        /** The tenant served when no API keys are configured. */
        @WithDefault("default")
        String defaultTenant();


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

        Content content();
    }

    public interface Catalog {
        /** media-catalog's HTTP base URL: GET /v1/media/{id} is answered from it. */
        @WithDefault("http://127.0.0.1:8085")
        String url();

        @WithDefault("PT5S")
        Duration timeout();
    }

    public interface Thumbnails {
        /** Follow media.catalog to serve thumbnails of inline content and allowlisted references. */
        @WithDefault("true")
        boolean enabled();

        /** Longest side of a thumbnail, pixels. */
        @WithDefault("160")
        int size();

        @WithDefault("67108864")
        long cacheBytes();



        /** Largest content fetched to make a thumbnail. */
        @WithDefault("268435456")
        long maxContentBytes();

        /** Videos and documents decoded at once; more requests wait. */
        @WithDefault("2")
        int maxConcurrentDecodes();
    }

    /** The content endpoint: the media of an item played or opened from the page (same tenant check). */
    public interface Content {
        /** Bytes of fetched content kept in memory. */
        @WithDefault("268435456")
        long cacheBytes();

        /** Key of the HMAC that signs content links (from a secret); unset, a random key per replica. */
        Optional<String> linkSecret();

        /** How long a signed content link stays valid. */
        @WithDefault("PT15M")
        Duration linkTtl();
    }
}
