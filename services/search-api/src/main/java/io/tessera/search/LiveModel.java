package io.tessera.search;

import io.tessera.embedding.Embedding;
import io.tessera.embedding.EmbeddingException;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.ImageInput;
import io.tessera.embedding.InvalidInputException;
import io.tessera.embedding.TextInput;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.model.ModelRef;
import io.tessera.embedding.model.ModelStore;
import io.tessera.embedding.model.ModelStoreException;
import io.tessera.vectorstore.ModelCollection;
import io.tessera.vectorstore.ModelSpec;
import io.tessera.vectorstore.VectorStore;
import io.tessera.vectorstore.VectorStoreException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model that queries are encoded with, following the model's alias in Milvus: the collection behind the alias
 * records the model version that made it ({@link VectorStore#modelOf}), and a query vector is only comparable with
 * vectors of that very version. When the alias moves to a version the runtime does not serve, that version is
 * loaded from the model store and swapped in ({@link EmbeddingRuntime#swap}: the old one keeps serving until the
 * new one is warm).
 *
 * <p>The alias lookup is cached for {@code aliasTtl} to keep Milvus round trips off the hot path. This cannot mix
 * versions: callers search the concrete collection returned with the model ({@link ModelCollection#collection()}),
 * never the alias, so a query is always encoded by the version that made the collection it is compared against.
 *
 * <p>Nor can the cache make a search miss an item across a roll-out. After the flip the indexers keep writing the old
 * collection as well for their drain delay, then only the new one (one embedding per item), and keep the old one,
 * read-only, for the grace period. A lookup made before the flip is used for at most {@code aliasTtl} after it, and
 * {@code aliasTtl} is capped at {@link #MAX_ALIAS_TTL}, which every indexer's drain delay must exceed (the indexers
 * refuse to start otherwise): by the time arrivals go to the new collection only, no search here still resolves to
 * the old one. A fixed bound was chosen over following the indexers' roll-out events because it needs no Kafka
 * consumer here and holds even when search-api cannot reach Kafka. A search already running on the old collection
 * when it is dropped is retried once on a fresh lookup ({@link #invalidate}).
 */
public final class LiveModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveModel.class);
    private static final int ENCODE_ATTEMPTS = 3;

    /**
     * The longest the alias lookup may be cached ({@code tessera.search.alias-ttl}). The same value as the model
     * roll-out's {@code RolloutConfig.READER_ALIAS_CACHE_LIMIT}, which the indexers' drain delay must exceed (this
     * module does not depend on the roll-out's); change both together.
     */
    public static final Duration MAX_ALIAS_TTL = Duration.ofSeconds(10);

    private final VectorStore store;
    private final String alias;
    private final ModelStore models;
    private final EmbeddingRuntime runtime;
    private final long aliasTtlNanos;
    private final Duration encodeTimeout;
    private final LongSupplier nanoClock;

    private record Cached(Optional<ModelCollection> live, long fetchedAt) {
    }

    private volatile Cached cached;

    public LiveModel(VectorStore store, String alias, ModelStore models, EmbeddingRuntime runtime, Duration aliasTtl,
                     Duration encodeTimeout) {
        this(store, alias, models, runtime, aliasTtl, encodeTimeout, System::nanoTime);
    }

    LiveModel(VectorStore store, String alias, ModelStore models, EmbeddingRuntime runtime, Duration aliasTtl,
              Duration encodeTimeout, LongSupplier nanoClock) {
        if (aliasTtl.isNegative() || aliasTtl.compareTo(MAX_ALIAS_TTL) > 0) {
            throw new IllegalArgumentException("tessera.search.alias-ttl must be between 0 and "
                    + MAX_ALIAS_TTL.toSeconds() + " s, was " + aliasTtl + ": after a model roll-out flips the alias,"
                    + " the indexers write the old collection for a drain delay above that only, so a longer cache"
                    + " could miss new items");
        }
        this.store = store;
        this.alias = alias;
        this.models = models;
        this.runtime = runtime;
        this.aliasTtlNanos = aliasTtl.toNanos();
        this.encodeTimeout = encodeTimeout;
        this.nanoClock = nanoClock;
    }

    public String alias() {
        return alias;
    }

    /** The version the runtime serves right now (it follows the alias on the next query). */
    public ModelRef loadedModel() {
        return runtime.model();
    }

    public EmbeddingRuntime runtime() {
        return runtime;
    }

    /** The tasks whose instruction templates the loaded model knows. */
    public Set<String> tasks() {
        return runtime.manifest().instructions().keySet();
    }

    /**
     * The collection behind the alias and the model version that made it; empty when the alias does not exist yet
     * (nothing indexed with this model).
     *
     * @throws ApiException 503 when Milvus cannot be reached
     */
    public Optional<ModelCollection> live() {
        Cached c = cached;
        long now = nanoClock.getAsLong();
        if (c != null && now - c.fetchedAt() < aliasTtlNanos) {
            return c.live();
        }
        Optional<ModelCollection> live;
        try {
            live = store.modelOf(alias);
        } catch (VectorStoreException e) {
            throw ApiException.unavailable("milvus_unavailable",
                    "cannot read the collection behind alias '" + alias + "' from Milvus: " + e.getMessage(), e);
        }
        cached = new Cached(live, now);
        return live;
    }

    /** Forgets the cached alias lookup (after the collection it named disappeared). */
    public void invalidate() {
        cached = null;
    }

    /**
     * Makes the runtime serve {@code spec}'s version, loading it from the model store when it serves another one.
     * Also called at start so that the first query does not pay the load.
     */
    public void ensureServing(ModelSpec spec) {
        ModelRef wanted = new ModelRef(spec.name(), spec.version());
        if (runtime.model().equals(wanted)) {
            return;
        }
        synchronized (this) {
            if (runtime.model().equals(wanted)) {
                return;
            }
            ModelDirectory dir;
            try {
                dir = models.open(wanted);
            } catch (ModelStoreException e) {
                throw ApiException.unavailable("model_unavailable", "the live collection was made by model " + wanted
                        + ", which cannot be loaded from " + models.describe() + ": " + e.getMessage(), e);
            } catch (EmbeddingException e) {
                throw ApiException.unavailable("model_unavailable", "model " + wanted + " from " + models.describe()
                        + " is broken: " + e.getMessage(), e);
            }
            if (dir.manifest().dimension() != spec.dimension()) {
                throw new ApiException(500, "model_mismatch", "collection of " + wanted + " has dimension "
                        + spec.dimension() + " but the model in the store has " + dir.manifest().dimension());
            }
            ModelRef was = runtime.swap(dir);
            LOG.info("search now encodes queries with {} (was {}), following alias '{}'", wanted, was, alias);
        }
    }

    public float[] encodeText(ModelSpec spec, TextInput text) {
        return encode(spec, () -> runtime.embedText(text));
    }

    public float[] encodeImage(ModelSpec spec, ImageInput image) {
        return encode(spec, () -> runtime.embedImage(image));
    }

    private float[] encode(ModelSpec spec, java.util.function.Supplier<CompletableFuture<Embedding>> call) {
        ModelRef wanted = new ModelRef(spec.name(), spec.version());
        for (int attempt = 1; attempt <= ENCODE_ATTEMPTS; attempt++) {
            ensureServing(spec);
            Embedding e = await(call.get());
            // A concurrent query may have swapped another version in between; the embedding says which one ran.
            if (e.model().equals(wanted)) {
                return e.vector();
            }
        }
        throw ApiException.unavailable("model_changing", "the model behind alias '" + alias
                + "' is changing; retry the search", null);
    }

    private Embedding await(CompletableFuture<Embedding> future) {
        try {
            return future.get(encodeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted", "interrupted while encoding the query", e);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw ApiException.unavailable("encoder_busy", "encoding the query took longer than "
                    + encodeTimeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvalidInputException invalid) {
                throw ApiException.badRequest("invalid_query", "the query cannot be encoded: " + invalid.getMessage());
            }
            if (cause instanceof EmbeddingException ee && ee.isRetriable()) {
                throw ApiException.unavailable("encoder_busy", "the query encoder is overloaded: " + ee.getMessage(), ee);
            }
            throw new ApiException(500, "encoder_failed", "encoding the query failed: " + cause, null, cause);
        }
    }

    @Override
    public void close() {
        runtime.close();
    }
}
