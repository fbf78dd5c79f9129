package io.tessera.indexer.quarkus;

import io.tessera.embedding.Device;
import io.tessera.embedding.RuntimeConfig;
import io.tessera.embedding.batch.BatcherConfig;
import io.tessera.events.Modality;
import io.tessera.indexer.IndexerSettings;
import io.tessera.indexer.ThreadBudget;
import io.tessera.media.DecodeOptions;
import io.tessera.media.FetchConfig;
import io.tessera.registry.RegistryConfig;
import io.tessera.serde.SerdeConfig;
import io.tessera.vectorstore.CollectionNaming;
import io.tessera.vectorstore.IndexType;
import io.tessera.retry.RetryPolicy;
import io.tessera.vectorstore.VectorStoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Turns {@link IndexerConfig} into the plain settings of the libraries, checking everything the libraries would
 * only reject later: a wrong value fails the start with a message naming the {@code tessera.*} key to fix.
 */
public final class IndexerSettingsFactory {

    private IndexerSettingsFactory() {
    }

    /** A configuration problem, naming the key. */
    public static final class InvalidConfigException extends RuntimeException {
        InvalidConfigException(String key, String problem, Throwable cause) {
            super("Invalid configuration '" + key + "': " + problem, cause);
        }
    }

    public static IndexerSettings settings(IndexerConfig c) {
        if (c.modality() == Modality.UNKNOWN) {
            throw new InvalidConfigException("tessera.modality", "set IMAGE, VIDEO, DOCUMENT or TEXT", null);
        }
        IndexerSettings.Builder b = IndexerSettings.builder(c.modality());
        c.service().ifPresent(b::service);
        String prefix = c.topics().prefix().orElse("");
        check("tessera.topics.prefix", () -> b.topicPrefix(prefix));
        IndexerSettings defaults = b.build();
        // Under a topic prefix the group gets it too, so two deployments on one cluster never share a group.
        b.groupId(c.kafka().groupId().orElse(prefix + "tessera-" + defaults.service()));
        b.pollRecords(c.kafka().pollRecords()).maxInFlight(c.kafka().maxInFlight())
                .commitInterval(c.kafka().commitInterval());
        b.decodeThreads(threadBudget(c).decodeThreads());
        b.writeBatchItems(c.pipeline().writeBatchItems()).writeMaxWait(c.pipeline().writeMaxWait())
                .decodedBudgetBytes(c.pipeline().decodedBudgetMb() << 20)
                .retryBackoff(c.pipeline().retryInitialBackoff(), c.pipeline().retryMaxBackoff())
                .quietLogInterval(c.pipeline().quietLogInterval())
                .shutdownTimeout(c.pipeline().shutdownTimeout())
                .pageTextWeight(c.document().pageTextWeight())
                .documentTextTask(c.document().textTask())
                .textTask(c.text().task().orElse(null))
                .momentSimilarity(momentSimilarity(c.video().momentSimilarity()));
        DecodeOptions options = check("tessera.limits / tessera.video / tessera.document / tessera.text", () ->
                DecodeOptions.builder()
                        .maxImagePixels(c.limits().maxPixels())
                        .maxVideoDuration(c.limits().maxVideoDuration())
                        .maxFrames(c.limits().maxFrames())
                        .maxPages(c.limits().maxPages())
                        .maxTextChars(c.limits().maxTextChars())
                        .decodeTimeout(c.limits().decodeTimeout())
                        .frameInterval(c.video().frameInterval())
                        .pageDpi(c.document().dpi())
                        .maxPagePixels(c.document().maxPagePixels())
                        .chunkOverlapTokens(c.text().chunkOverlapTokens())
                        .build());
        b.decodeOptions(options);
        return check("tessera.kafka / tessera.pipeline / tessera.document", b::build);
    }

    /** {@code tessera.video.moment-similarity}: a cosine in (0, 1], or {@code off} (the same as 1). */
    static double momentSimilarity(String value) {
        String key = "tessera.video.moment-similarity";
        String v = value.strip();
        if (v.equalsIgnoreCase("off")) {
            return 1.0;
        }
        double similarity;
        try {
            similarity = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(key, "'" + value + "' is neither a cosine in (0, 1] nor off", e);
        }
        if (!(similarity > 0 && similarity <= 1)) {
            throw new InvalidConfigException(key, value + " is not a cosine in (0, 1] (use off, or 1, to keep one"
                    + " row per frame)", null);
        }
        return similarity;
    }

    public static FetchConfig fetch(IndexerConfig c) {
        List<Path> roots = c.fetch().fileRoots().orElse(List.of());
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                throw new InvalidConfigException("tessera.fetch.file-roots", root + " is not a directory", null);
            }
        }
        return check("tessera.fetch / tessera.limits.max-bytes", () -> FetchConfig.builder()
                .maxBytes(c.limits().maxBytes())
                .fileRoots(roots)
                .allowedHosts(new HashSet<>(c.fetch().allowedHosts().orElse(List.of())))
                .allowedSchemes(new HashSet<>(c.fetch().allowedSchemes()))
                .connectTimeout(c.fetch().connectTimeout())
                .requestTimeout(c.fetch().requestTimeout())
                .s3(new FetchConfig.S3Access(c.fetch().s3().endpoint(), c.fetch().s3().region(),
                        c.fetch().s3().pathStyle(), c.fetch().s3().accessKey(), c.fetch().s3().secretKey(),
                        new HashSet<>(c.fetch().s3().buckets().orElse(List.of()))))
                .build());
    }

    public static VectorStoreConfig vectorStore(IndexerConfig c) {
        return check("tessera.milvus", () -> VectorStoreConfig.defaults(c.milvus().uri())
                .withToken(c.milvus().token().orElse(null))
                .withDatabase(c.milvus().database().orElse(null))
                .withNaming(new CollectionNaming(c.milvus().collectionPrefix().orElse("")))
                .withIndexType(IndexType.valueOf(c.milvus().indexType().strip().toUpperCase(Locale.ROOT)))
                .withWriteBatchSize(c.milvus().writeBatchSize())
                .withTimeouts(Duration.ofSeconds(5), c.milvus().rpcTimeout())
                .withFlushAfterWrites(c.milvus().flushAfterWrites())
                // The pipeline retries without limit; the store's own retries only ride out blips quickly.
                .withRetryPolicy(RetryPolicy.bounded(3, Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(5))));
    }

    /**
     * How the indexer's cores are split among the decode pool, the batch workers and ONNX Runtime's intra-op threads:
     * {@code tessera.pipeline.thread-budget} (default the processors the JVM sees), with
     * {@code tessera.pipeline.decode-threads}, {@code tessera.embedding.batch-workers} and
     * {@code tessera.embedding.intra-op-threads} taken as given when set.
     */
    public static ThreadBudget threadBudget(IndexerConfig c) {
        return check("tessera.pipeline.thread-budget / decode-threads / tessera.embedding.batch-workers /"
                + " intra-op-threads", () -> ThreadBudget.split(c.modality(), c.pipeline().threadBudget(),
                c.pipeline().decodeThreads(), c.embedding().batchWorkers(), c.embedding().intraOpThreads()));
    }

    public static RuntimeConfig runtime(IndexerConfig c) {
        ThreadBudget budget = threadBudget(c);
        return check("tessera.embedding", () -> {
            BatcherConfig batching = new BatcherConfig(c.embedding().batchSize(), c.embedding().batchWait(),
                    c.embedding().queueCapacity(), Duration.ofSeconds(30), budget.batchWorkers());
            return RuntimeConfig.defaults().withDevice(Device.valueOf(c.embedding().device().strip().toUpperCase(Locale.ROOT)))
                    .withThreads(budget.intraOpThreads(), 1).withIntraOpSpinning(c.embedding().intraOpSpinning())
                    .withBatching(batching);
        });
    }

    public static Map<String, Object> serde(IndexerConfig c) {
        Map<String, Object> serde = new HashMap<>();
        serde.put(RegistryConfig.URL, c.registry().url());
        serde.put(SerdeConfig.AUTO_REGISTER_SCHEMAS, Boolean.toString(c.registry().autoRegister()));
        c.registry().basicAuthUserInfo().ifPresent(u -> serde.put(RegistryConfig.BASIC_AUTH_USER_INFO, u));
        check("tessera.registry", () -> RegistryConfig.fromProperties(serde));
        return serde;
    }

    private static <T> T check(String key, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidConfigException(key, e.getMessage(), e);
        }
    }
}
