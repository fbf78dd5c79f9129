package io.tessera.search.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.tessera.catalog.client.CatalogTable;
import io.tessera.embedding.Device;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.RuntimeConfig;
import io.tessera.embedding.model.DefaultModels;
import io.tessera.embedding.model.LocalModelStore;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.model.ModelRef;
import io.tessera.embedding.model.ModelStore;
import io.tessera.events.KafkaConnection;
import io.tessera.events.MediaArrived;
import io.tessera.events.Topics;
import io.tessera.serde.SpecificAvroDeserializer;
import io.tessera.media.FetchConfig;
import io.tessera.objectstore.ModelStores;
import io.tessera.registry.RegistryConfig;
import io.tessera.registry.SchemaRegistries;
import io.tessera.search.LiveModel;
import io.tessera.search.QueryImageDecoder;
import io.tessera.search.QueryParser;
import io.tessera.search.ModalityFusion;
import io.tessera.search.PageCursors;
import io.tessera.search.SearchEngine;
import io.tessera.search.TenantAccess;
import io.tessera.vectorstore.CollectionNaming;
import io.tessera.vectorstore.ModelCollection;
import io.tessera.retry.RetryPolicy;
import io.tessera.vectorstore.VectorStore;
import io.tessera.vectorstore.VectorStoreConfig;
import io.tessera.vectorstore.VectorStoreException;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import io.tessera.settings.EmbeddingSettings;
import io.tessera.settings.FetchSettings;
import io.tessera.settings.MilvusSettings;
import io.tessera.settings.ModelSettings;
import io.tessera.settings.ModelStoreSettings;
import io.tessera.settings.ModelsDirSettings;
import io.tessera.settings.RegistrySettings;
import io.tessera.settings.TopicSettings;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the plain search classes from configuration, once, and closes them at shutdown. */
@Singleton
public class SearchProducers {

    private static final Logger LOG = LoggerFactory.getLogger(SearchProducers.class);

    /** Creates everything at start, so a bad setting stops the service with its message instead of a first search. */
    void onStart(@Observes StartupEvent event, TenantAccess access, SearchEngine engine, CatalogTable catalog,
                 Thumbnails thumbnails, CatalogProxy proxy, SearchSettings settings) {
        if (access.keysConfigured()) {
            LOG.info("search-api: {} API keys configured for tenants {}", access.tenants().size(), access.tenants());
        } else {
            LOG.warn("search-api: NO API KEYS CONFIGURED (tessera.search.api-keys / TESSERA_SEARCH_API_KEYS): every"
                    + " caller is served tenant '{}' and no other. Configure keys before exposing this service.",
                    access.defaultTenant());
        }
        if (settings.search().thumbnails().enabled()) {
            catalog.start();
        }
        LOG.info("search-api: model alias '{}', serving {} ({})", engine.model().alias(), engine.model().loadedModel(),
                engine.model().runtime().executionProvider());
    }

    @Produces
    @Singleton
    TenantAccess tenantAccess(SearchSettings s) {
        return TenantAccess.fromConfig(s.search().apiKeys(), s.search().apiKeysFile(), s.search().defaultTenant());
    }

    @Produces
    @Singleton
    SearchSettings settings(MilvusSettings milvus, RegistrySettings registry, TopicSettings topics, ModelSettings model,
                            ModelsDirSettings models, ModelStoreSettings modelStore, FetchSettings fetch,
                            EmbeddingSettings embedding, SearchSettings.Search search) {
        // Built by SearchSettings.from, the one construction path (the tests and the Helm contract use it too). The
        // parameters are there only because Quarkus registers, and checks at build time, a mapping it sees injected.
        return SearchSettings.from(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .unwrap(io.smallrye.config.SmallRyeConfig.class));
    }

    @Produces
    @Singleton
    VectorStore vectorStore(SearchSettings s) {
        VectorStoreConfig config = VectorStoreConfig.defaults(s.milvus().uri())
                .withNaming(naming(s))
                .withTimeouts(Duration.ofSeconds(5), s.milvus().rpcTimeout())
                // A search should fail fast and say so rather than hang for the indexers' 30 s of retries.
                .withRetryPolicy(RetryPolicy.bounded(3, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(3)));
        config = config.withToken(s.milvus().token().orElse(null)).withDatabase(s.milvus().database().orElse(null));
        return VectorStore.connect(config);
    }

    void closeVectorStore(@Disposes VectorStore store) {
        store.close();
    }

    static CollectionNaming naming(SearchSettings s) {
        return new CollectionNaming(s.milvus().collectionPrefix().orElse(CollectionNaming.DEFAULT_PREFIX));
    }

    @Produces
    @Singleton
    LiveModel liveModel(SearchSettings s, VectorStore store, MeterRegistry meters) {
        SearchSettings.Search search = s.search();
        ModelStore models = ModelStores.open(s.modelStore(), s.models().dir().orElseGet(DefaultModels::defaultStoreRoot));
        String alias = naming(s).alias(s.model().name());
        ModelDirectory initial = initialModel(store, alias, models, s.model().name());
        EmbeddingSettings e = s.embedding();
        RuntimeConfig defaults = RuntimeConfig.defaults();
        Device device;
        try {
            device = Device.valueOf(e.device().strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("tessera.embedding.device must be AUTO, CPU or CUDA, was " + e.device(), ex);
        }
        RuntimeConfig config = defaults
                .withDevice(device)
                .withThreads(e.intraOpThreads().orElse(0), defaults.interOpThreads())
                .withIntraOpSpinning(e.intraOpSpinning())
                .withBatching(defaults.textBatching().withMaxBatchSize(e.batchSize()).withMaxWait(e.batchWait()));
        EmbeddingRuntime runtime = EmbeddingRuntime.start(initial, config, meters);
        return new LiveModel(store, alias, models, runtime, search.aliasTtl(), search.encodeTimeout());
    }

    /**
     * The version behind the alias when Milvus answers and the store has it (so the first query pays no load),
     * else the newest version in the store (the bundled default is installed when the store lacks it). A wrong
     * guess costs one swap on the first query, never a wrong answer: queries always follow the alias.
     */
    private static ModelDirectory initialModel(VectorStore store, String alias, ModelStore models, String name) {
        try {
            Optional<ModelCollection> live = store.modelOf(alias);
            if (live.isPresent()) {
                ModelRef ref = new ModelRef(live.get().model().name(), live.get().model().version());
                try {
                    return models.open(ref);
                } catch (RuntimeException ex) {
                    LOG.error("alias '{}' points at {}, which cannot be loaded from {}: {}", alias, ref,
                            models.describe(), ex.getMessage());
                }
            }
        } catch (VectorStoreException ex) {
            LOG.warn("Milvus did not answer at start ({}); loading the newest local version of {} for now", ex.getMessage(),
                    name);
        }
        for (ModelRef bundled : java.util.List.of(DefaultModels.TESSERA_BASE, DefaultModels.TESSERA_TINY)) {
            LocalModelStore local = ModelStores.localDirectory(models);
            if (name.equals(bundled.name()) && !local.contains(bundled) && DefaultModels.isBundled(bundled)) {
                DefaultModels.installBundled(local, bundled);
            }
        }
        ModelRef latest = models.latest(name).orElseThrow(() -> new IllegalStateException("model store "
                + models.describe() + " has no version of '" + name + "' (set tessera.models.dir or"
                + " tessera.model.name)"));
        return models.open(latest);
    }

    void closeLiveModel(@Disposes LiveModel model) {
        model.close();
    }

    @Produces
    @Singleton
    QueryImageDecoder queryImages(SearchSettings s, LiveModel model) {
        requirePositive(s.search().maxImageBytes(), "tessera.search.max-image-bytes");
        requirePositive(s.search().maxImagePixels(), "tessera.search.max-image-pixels");
        // Subsampled as the indexers subsample the same picture, so that a query photo embeds like its indexed copy.
        var tower = model.runtime().manifest().image();
        return new QueryImageDecoder(s.search().maxImageBytes(), s.search().maxImagePixels(),
                tower == null ? 0 : tower.decodeShortSide());
    }

    void closeQueryImages(@Disposes QueryImageDecoder decoder) {
        decoder.close();
    }

    @Produces
    @Singleton
    SearchEngine engine(SearchSettings s, VectorStore store, LiveModel model, QueryImageDecoder images,
                        MeterRegistry meters) {
        return new SearchEngine(store, model, images, s.search().overFetch(), s.search().maxSegmentsPerItem(),
                ModalityFusion.parse(s.search().fusion()), meters, PageCursors.withSecret(s.search().cursorSecret()));
    }

    @Produces
    @Singleton
    QueryParser parser(SearchSettings s, LiveModel model) {
        requirePositive(s.search().maxTextChars(), "tessera.search.max-text-chars");
        return new QueryParser(s.search().maxTextChars(), s.search().maxImageBytes(), model::tasks);
    }

    @Produces
    @Singleton
    CatalogTable catalogTable(SearchSettings s) {
        String topic = Topics.withPrefix(s.topics().prefix().orElse(""), Topics.MEDIA_CATALOG);
        // Security (SASL, TLS) from the kafka.* settings every service reads. Inline media is read back from its
        // record when a thumbnail or the content is first asked for, never kept in memory.
        return new CatalogTable(KafkaConnection.from(key -> org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue(key, String.class)), topic,
                new SpecificAvroDeserializer<>(SchemaRegistries.shared(RegistryConfig.of(s.registry().url())),
                        MediaArrived.class), "search-api-catalog-index", false);
    }

    void closeCatalogTable(@Disposes CatalogTable table) {
        table.close();
    }

    @Produces
    @Singleton
    Thumbnails thumbnails(SearchSettings s, CatalogTable catalog) {
        SearchSettings.Thumbnails t = s.search().thumbnails();
        requirePositive(t.size(), "tessera.search.thumbnails.size");
        return new Thumbnails(catalog, contentFetch(s.fetch(), t.maxContentBytes()), t.size(), t.cacheBytes(),
                Math.max(1, t.maxConcurrentDecodes()));
    }

    /**
     * What search-api may read of an item's content (thumbnails, the content endpoint): the file roots, hosts and
     * buckets of {@code tessera.fetch.*}, the indexers' keys, read through the media library's fetcher as the
     * indexers read them; a scheme only when something of it is allowed (and {@code allowed-schemes} lists it).
     */
    static FetchConfig contentFetch(FetchSettings fetch, long maxContentBytes) {
        FetchSettings.S3 s3 = fetch.s3();
        Set<String> schemes = new HashSet<>();
        List<java.nio.file.Path> roots = fetch.fileRoots().orElse(List.of());
        List<String> hosts = fetch.allowedHosts().orElse(List.of());
        List<String> buckets = s3.buckets().orElse(List.of());
        if (!roots.isEmpty()) {
            schemes.add("file");
        }
        if (!hosts.isEmpty()) {
            schemes.addAll(Set.of("http", "https"));
        }
        if (!buckets.isEmpty()) {
            schemes.add("s3");
        }
        FetchConfig.S3Access access;
        try {
            access = new FetchConfig.S3Access(s3.endpoint(), s3.region(), s3.pathStyle(), s3.accessKey(),
                    s3.secretKey(), Set.copyOf(buckets));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tessera.fetch.s3: " + e.getMessage(), e);
        }
        schemes.retainAll(Set.copyOf(fetch.allowedSchemes()));
        return FetchConfig.builder().maxBytes(maxContentBytes).fileRoots(roots)
                .allowedHosts(Set.copyOf(hosts)).allowedSchemes(schemes).s3(access).build();
    }

    void closeThumbnails(@Disposes Thumbnails thumbnails) {
        thumbnails.close();
    }

    @Produces
    @Singleton
    CatalogProxy catalogProxy(SearchSettings s, ObjectMapper json) {
        return new CatalogProxy(s.search().catalog().url(), s.search().catalog().timeout(), json);
    }

    private static void requirePositive(long value, String property) {
        if (value <= 0) {
            throw new IllegalArgumentException(property + " must be positive, was " + value);
        }
    }
}
