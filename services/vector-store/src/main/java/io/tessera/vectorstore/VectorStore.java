package io.tessera.vectorstore;

import java.util.List;
import java.util.Optional;

/**
 * Tessera's vectors in Milvus: one collection per model version, the model's alias pointing at the live one
 * (docs/architecture.md, "Milvus"). The only way into Milvus for every other module.
 * <p>
 * Failures are {@link VectorStoreException}s: {@link TransientVectorStoreException} after the configured retries
 * (retry later, never dead-letter), {@link PermanentVectorStoreException} otherwise. Writes are idempotent, so a
 * replay after a crash leaves the same rows. Writes of one store are serialised (see
 * {@link VectorStoreConfig#flushAfterWrites()} for why); reads run concurrently. Thread-safe.
 */
public interface VectorStore extends AutoCloseable {

    /** Opens a store; nothing is contacted until the first call, so a store can be created while Milvus is down. */
    static VectorStore connect(VectorStoreConfig config) {
        return new io.tessera.vectorstore.internal.MilvusVectorStore(config);
    }

    CollectionNaming naming();

    // ---- collections and aliases -------------------------------------------------------------------------------

    /**
     * Makes sure the collection of this model version exists with Tessera's schema, its COSINE index and the model
     * recorded in it, and is loaded; creates the model's alias pointing at it when the alias does not exist yet
     * (an existing alias is left alone: flipping it is {@link #pointAlias}'s job). Idempotent and safe to call
     * from several processes at once.
     *
     * @throws SchemaMismatchException when a collection of that name exists with another layout, model or dimension
     */
    ModelCollection ensureCollection(ModelSpec model);

    /** Loads the collection if it is not (after a Milvus restart collections come back released). */
    void ensureLoaded(String collectionOrAlias);

    /** The model version recorded in a collection, also through an alias; empty when neither exists. */
    Optional<ModelCollection> modelOf(String collectionOrAlias);

    /** The collections of a model, oldest version first. */
    List<ModelCollection> listCollections(String modelName);

    /**
     * Drops a collection (not an alias). Drop the aliases that point at it first: full Milvus refuses while one does
     * (Milvus Lite does not). No-op when absent.
     */
    void dropCollection(String collection);

    /** Creates the alias or moves it to {@code collection} (the blue/green flip); atomic on the server. */
    void pointAlias(String alias, String collection);

    /** The collection the alias points at; empty when the alias does not exist. */
    Optional<String> resolveAlias(String alias);

    /** No-op when absent. */
    void dropAlias(String alias);

    // ---- writes -------------------------------------------------------------------------------------------------

    /** Upserts full rows in batches of {@link VectorStoreConfig#writeBatchSize()}. */
    WriteResult upsert(String collection, List<VectorRow> rows);

    /**
     * Makes the collection hold exactly the given rows for each item: upserts all rows first, then deletes rows of
     * those mediaIds whose segment is no longer among them (an item re-indexed with fewer frames, pages or chunks).
     * Upsert-before-delete keeps every item searchable throughout, and a replay converges to the same rows.
     * When a mediaId occurs more than once, the last occurrence wins. Stale rows are removed whatever tenant they
     * were written under, because the primary key (and thus the item's identity) is the mediaId.
     */
    WriteResult replaceItems(String collection, List<MediaItem> items);

    /** Deletes all rows of a mediaId within a tenant; returns the number the server reports deleted. */
    long deleteItem(String collection, String tenant, String mediaId);

    /**
     * Deletes all rows of a mediaId whatever its tenant: for Kafka tombstones, which carry only the key. The mediaId
     * is the primary key's stem, so this cannot touch another item.
     */
    long deleteItemInAnyTenant(String collection, String mediaId);

    /** Persists buffered writes (Milvus flush). Writes already do this when {@code flushAfterWrites} is on. */
    void flush(String collection);

    // ---- reads --------------------------------------------------------------------------------------------------

    /**
     * Nearest rows to the vector within the request's tenant. The tenant filter is applied on the server on the
     * partition key, and hits of any other tenant are dropped again on the client as a second line of defence.
     */
    List<SearchHit> search(SearchRequest request);

    /** The stored whole-item vector (segment -1) of a mediaId in a tenant, for query-by-example. */
    Optional<float[]> wholeItemVector(String collectionOrAlias, String tenant, String mediaId);

    /** All rows of one item in a tenant, ordered by segment; at most 16,384 (Milvus' query limit). */
    List<StoredRow> itemRows(String collectionOrAlias, String tenant, String mediaId, boolean withVectors);

    /** Number of rows matching the filter (strongly consistent). */
    long count(String collectionOrAlias, RowFilter filter);

    /** Whether Milvus answers now (one call, no retries): for readiness checks. */
    boolean isReachable();

    @Override
    void close();
}
