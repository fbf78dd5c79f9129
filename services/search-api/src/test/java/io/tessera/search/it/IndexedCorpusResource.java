package io.tessera.search.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tessera.embedding.model.DefaultModels;
import io.tessera.embedding.model.LocalModelStore;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.testing.LocalStack;
import io.tessera.testing.StackEndpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The search-api under test against the local stack, with a {@link Corpus} indexed by the real indexer pipeline in
 * a unique collection and unique topics, two API keys, a model store of its own and a stand-in for media-catalog. Returns only
 * configuration overrides; the stack is shared with every other test.
 */
public class IndexedCorpusResource implements QuarkusTestResourceLifecycleManager {

    /** Small enough to test the cap with a cheap request, large enough for the query images. */
    static final long MAX_IMAGE_BYTES = 200_000;

    private Corpus corpus;
    private CatalogStub catalog;

    @Override
    public Map<String, String> start() {
        try {
            StackEndpoints stack = LocalStack.endpoints();
            Path dir = Files.createTempDirectory("tessera-search-it-");
            // One model store for the indexers and the service (which loads what the collection was made with).
            ModelDirectory tiny = DefaultModels.installBundled(new LocalModelStore(dir.resolve("models")),
                    DefaultModels.TESSERA_TINY);
            corpus = Corpus.create(stack, dir, tiny);
            Corpus.current = corpus;
            Map<String, String> owners = new HashMap<>();
            Corpus.ACME_ITEMS.forEach(id -> owners.put(id, Corpus.ACME));
            Corpus.GLOBEX_ITEMS.forEach(id -> owners.put(id, Corpus.GLOBEX));
            catalog = new CatalogStub(owners);
            Map<String, String> config = new HashMap<>();
            // Tests listen on loopback only.
            config.put("quarkus.http.host", "127.0.0.1");
            config.put("tessera.milvus.uri", stack.milvusUri());
            config.put("tessera.milvus.collection-prefix", corpus.collectionPrefix);
            config.put("kafka.bootstrap.servers", stack.kafkaBootstrap());
            config.put("tessera.registry.url", stack.registryUrl());
            config.put("tessera.topics.prefix", corpus.topicPrefix);
            config.put("tessera.models.dir", corpus.modelsDir.toString());
            // The corpus is indexed with tessera-tiny (fast, and its rankings of the corpus' colours are known).
            config.put("tessera.model.name", DefaultModels.TESSERA_TINY.name());
            config.put("tessera.search.api-keys", Corpus.ACME_KEY + "=" + Corpus.ACME + "," + Corpus.GLOBEX_KEY + "="
                    + Corpus.GLOBEX);
            config.put("tessera.search.max-image-bytes", Long.toString(MAX_IMAGE_BYTES));
            config.put("tessera.fetch.file-roots", corpus.mediaDir.toString());
            // The indexers' keys for s3:// content: one item of the corpus is in the local stack's object store.
            io.tessera.stack.StackConfig stackConfig = io.tessera.stack.StackConfig.fromEnvironment();
            config.put("tessera.fetch.s3.buckets", io.tessera.stack.StackConfig.S3_BUCKET);
            config.put("tessera.fetch.s3.endpoint", stackConfig.s3Endpoint());
            config.put("tessera.fetch.s3.region", io.tessera.stack.StackConfig.S3_REGION);
            config.put("tessera.fetch.s3.access-key", io.tessera.stack.StackConfig.S3_ACCESS_KEY);
            config.put("tessera.fetch.s3.secret-key", io.tessera.stack.StackConfig.S3_SECRET_KEY);
            config.put("tessera.search.catalog.url", catalog.url());
            config.put("tessera.search.alias-ttl", "PT0.2S");
            return config;
        } catch (Exception e) {
            throw new IllegalStateException("cannot index the test corpus: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        if (catalog != null) {
            catalog.close();
        }
        if (corpus != null) {
            corpus.close();
            deleteQuietly(corpus.dir);
            Corpus.current = null;
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            // temp files only
        }
    }
}
