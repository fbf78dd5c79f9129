package io.tessera.vectorstore.internal;

import com.google.gson.JsonObject;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.DescribeCollectionReq;
import io.milvus.v2.service.collection.request.DropCollectionReq;
import io.milvus.v2.service.collection.request.GetLoadStateReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.milvus.v2.service.collection.request.LoadCollectionReq;
import io.milvus.v2.service.collection.response.DescribeCollectionResp;
import io.milvus.v2.service.utility.request.AlterAliasReq;
import io.milvus.v2.service.utility.request.CreateAliasReq;
import io.milvus.v2.service.utility.request.DescribeAliasReq;
import io.milvus.v2.service.utility.request.DropAliasReq;
import io.milvus.v2.service.utility.request.FlushReq;
import io.milvus.v2.service.vector.request.DeleteReq;
import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.UpsertReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.response.QueryResp;
import io.milvus.v2.service.vector.response.SearchResp;
import io.tessera.vectorstore.CollectionNaming;
import io.tessera.vectorstore.CollectionNotFoundException;
import io.tessera.vectorstore.Consistency;
import io.tessera.vectorstore.InvalidVectorDataException;
import io.tessera.vectorstore.MediaItem;
import io.tessera.vectorstore.ModelCollection;
import io.tessera.vectorstore.ModelSpec;
import io.tessera.vectorstore.PermanentVectorStoreException;
import io.tessera.retry.Fault;
import io.tessera.retry.RetryPolicy;
import io.tessera.retry.Retrying;
import io.tessera.vectorstore.RowFilter;
import io.tessera.vectorstore.SchemaMismatchException;
import io.tessera.vectorstore.SearchHit;
import io.tessera.vectorstore.SearchRequest;
import io.tessera.vectorstore.StoredRow;
import io.tessera.vectorstore.TransientVectorStoreException;
import io.tessera.vectorstore.VectorFields;
import io.tessera.vectorstore.VectorRow;
import io.tessera.vectorstore.VectorStore;
import io.tessera.vectorstore.VectorStoreConfig;
import io.tessera.vectorstore.VectorStoreException;
import io.tessera.vectorstore.WriteResult;
import io.tessera.vectorstore.internal.ErrorClassifier.Failure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * {@link VectorStore} on the Milvus Java SDK v2.
 * <p>
 * <b>Writes are serialised</b> through one lock per store: Milvus Lite loses rows when concurrent writers meet an
 * unclean stop (its write-ahead log gets corrupted, docs/platform-notes.md), and as a single Python process it gains no
 * throughput from parallel writes anyway. With {@code flushAfterWrites} each write call ends with a flush, so what a
 * call acknowledged is on disk even if Milvus is killed afterwards; callers commit Kafka offsets only after the call
 * returns. Several processes (the indexers) still write concurrently; the flush bounds what an unclean stop can take.
 * <p>
 * <b>Every call</b> runs through {@link #call}: it retries transient failures with the configured policy,
 * re-creates the client after connection failures, and loads a collection before its first use on each connection
 * and whenever Milvus reports it released (collections come back released after a Milvus restart).
 */
public final class MilvusVectorStore implements VectorStore {

    private static final Logger LOG = LoggerFactory.getLogger(MilvusVectorStore.class);

    /** Milvus' maximum query window. */
    private static final int QUERY_LIMIT = 16_384;
    /** Keeps stale-row delete expressions small (each pk is one literal). */
    private static final int MAX_KEEP_PKS_PER_DELETE = 2_000;
    private static final String COUNT = "count(*)";
    /** How long the vector dimension behind an alias is trusted: an alias can be flipped to another collection. */
    private static final long ALIAS_DIMENSION_TTL_NANOS = Duration.ofSeconds(5).toNanos();

    private record KnownDimension(int dimension, long expiresAtNanos) {
    }

    private final VectorStoreConfig config;
    private final ClientProvider clients;
    private final LongSupplier clock;
    private final ReentrantLock writeLock = new ReentrantLock(true);
    /** Collection or alias → epoch of the client connection on which it was last seen loaded. */
    private final Map<String, Long> loadedOnConnection = new ConcurrentHashMap<>();
    private final Map<String, KnownDimension> dimensions = new ConcurrentHashMap<>();

    public MilvusVectorStore(VectorStoreConfig config) {
        this(config, new ClientProvider(config), System::currentTimeMillis);
    }

    MilvusVectorStore(VectorStoreConfig config, ClientProvider clients, LongSupplier clock) {
        this.config = config;
        this.clients = clients;
        this.clock = clock;
    }

    @Override
    public CollectionNaming naming() {
        return config.naming();
    }

    // ---- collections and aliases -------------------------------------------------------------------------------

    @Override
    public ModelCollection ensureCollection(ModelSpec model) {
        String name = naming().collection(model.name(), model.version());
        String alias = naming().alias(model.name());
        return underWriteLock(() -> {
            boolean exists = call("hasCollection " + name, null,
                    c -> c.hasCollection(HasCollectionReq.builder().collectionName(name).build()));
            if (!exists) {
                CreateCollectionReq request = CollectionLayout.createRequest(name, model, config.indexType());
                // Another process may create it at the same moment: "already exists" is success, verified below.
                Boolean created = callTolerating("createCollection " + name, null, EnumSet.of(Failure.ALREADY_EXISTS), c -> {
                    c.createCollection(request);
                    return Boolean.TRUE;
                });
                if (created != null) {
                    LOG.info("Created Milvus collection {} for model {} v{} (dimension {}, {} COSINE index)",
                            name, model.name(), model.version(), model.dimension(), config.indexType());
                }
            }
            CollectionLayout.verify(describe(name).orElseThrow(() -> notFound(name, null)), Optional.of(model));
            dimensions.put(name, new KnownDimension(model.dimension(), Long.MAX_VALUE));
            ensureLoaded(name);
            if (resolveAlias(alias).isEmpty()) {
                Boolean aliased = callTolerating("createAlias " + alias, null, EnumSet.of(Failure.ALREADY_EXISTS), c -> {
                    c.createAlias(CreateAliasReq.builder().alias(alias).collectionName(name).build());
                    return Boolean.TRUE;
                });
                if (aliased != null) {
                    LOG.info("Alias {} now points at {} (first collection of model {})", alias, name, model.name());
                }
            }
            return new ModelCollection(name, alias, model);
        });
    }

    @Override
    public void ensureLoaded(String collectionOrAlias) {
        call("load " + collectionOrAlias, collectionOrAlias, c -> null);
    }

    @Override
    public Optional<ModelCollection> modelOf(String collectionOrAlias) {
        return describe(collectionOrAlias).map(d -> {
            ModelSpec model = CollectionLayout.recordedModel(d).orElseThrow(() -> new SchemaMismatchException(
                    "collection " + d.getCollectionName() + " records no model version: it was not created by Tessera"));
            return new ModelCollection(d.getCollectionName(), naming().alias(model.name()), model);
        });
    }

    @Override
    public List<ModelCollection> listCollections(String modelName) {
        List<String> names = call("listCollections", null, c -> c.listCollections().getCollectionNames());
        List<ModelCollection> out = new ArrayList<>();
        for (String name : names) {
            if (naming().versionOf(modelName, name).isPresent()) {
                // A collection dropped in between is simply not listed.
                modelOf(name).ifPresent(out::add);
            }
        }
        out.sort(Comparator.comparingInt(m -> m.model().version()));
        return out;
    }

    @Override
    public void dropCollection(String collection) {
        underWriteLock(() -> callTolerating("dropCollection " + collection, null, EnumSet.of(Failure.NOT_FOUND), c -> {
            c.dropCollection(DropCollectionReq.builder().collectionName(collection).build());
            return null;
        }));
        loadedOnConnection.remove(collection);
        dimensions.remove(collection);
        LOG.info("Dropped Milvus collection {}", collection);
    }

    @Override
    public void pointAlias(String alias, String collection) {
        underWriteLock(() -> {
            Optional<String> current = resolveAlias(alias);
            if (current.isPresent() && current.get().equals(collection)) {
                return null;
            }
            if (current.isEmpty()) {
                Boolean created = callTolerating("createAlias " + alias, null, EnumSet.of(Failure.ALREADY_EXISTS), c -> {
                    c.createAlias(CreateAliasReq.builder().alias(alias).collectionName(collection).build());
                    return Boolean.TRUE;
                });
                if (created != null) {
                    LOG.info("Alias {} created, pointing at {}", alias, collection);
                    return null;
                }
            }
            call("alterAlias " + alias, null, c -> {
                c.alterAlias(AlterAliasReq.builder().alias(alias).collectionName(collection).build());
                return null;
            });
            LOG.info("Alias {} moved from {} to {}", alias, current.orElse("?"), collection);
            return null;
        });
        dimensions.remove(alias);
        loadedOnConnection.remove(alias);
    }

    @Override
    public Optional<String> resolveAlias(String alias) {
        // "does not exist" is an expected answer here, which the SDK still logs at ERROR (io.milvus.v2.utils.RpcUtils);
        // listing all aliases instead is not possible: the SDK's listAliases requires a collection.
        return Optional.ofNullable(callTolerating("describeAlias " + alias, null, EnumSet.of(Failure.NOT_FOUND),
                c -> c.describeAlias(DescribeAliasReq.builder().alias(alias).build()).getCollectionName()));
    }

    @Override
    public void dropAlias(String alias) {
        underWriteLock(() -> callTolerating("dropAlias " + alias, null, EnumSet.of(Failure.NOT_FOUND), c -> {
            c.dropAlias(DropAliasReq.builder().alias(alias).build());
            return null;
        }));
        dimensions.remove(alias);
        loadedOnConnection.remove(alias);
    }

    // ---- writes -------------------------------------------------------------------------------------------------

    @Override
    public WriteResult upsert(String collection, List<VectorRow> rows) {
        long indexedAt = clock.getAsLong();
        if (rows.isEmpty()) {
            return new WriteResult(0, 0, indexedAt);
        }
        // Milvus rejects duplicate primary keys within one request; the later row is the newer one.
        Map<String, VectorRow> byPk = new LinkedHashMap<>();
        rows.forEach(r -> byPk.put(r.pk(), r));
        List<VectorRow> unique = List.copyOf(byPk.values());
        checkDimensions(collection, unique);
        return underWriteLock(() -> {
            writeRows(collection, unique, indexedAt);
            flushIfConfigured(collection);
            return new WriteResult(unique.size(), 0, indexedAt);
        });
    }

    @Override
    public WriteResult replaceItems(String collection, List<MediaItem> items) {
        long indexedAt = clock.getAsLong();
        if (items.isEmpty()) {
            return new WriteResult(0, 0, indexedAt);
        }
        Map<String, MediaItem> byMediaId = new LinkedHashMap<>();
        items.forEach(i -> byMediaId.put(i.mediaId(), i));
        List<VectorRow> rows = byMediaId.values().stream().flatMap(i -> i.rows().stream()).toList();
        checkDimensions(collection, rows);
        return underWriteLock(() -> {
            writeRows(collection, rows, indexedAt);
            long stale = deleteStaleRows(collection, List.copyOf(byMediaId.values()));
            flushIfConfigured(collection);
            return new WriteResult(rows.size(), stale, indexedAt);
        });
    }

    @Override
    public long deleteItem(String collection, String tenant, String mediaId) {
        RowFilter filter = RowFilter.tenant(tenant).andMediaId(mediaId);
        return deleteWhere(collection, FilterExpressions.rows(filter));
    }

    @Override
    public long deleteItemInAnyTenant(String collection, String mediaId) {
        RowFilter filter = RowFilter.all().andMediaId(mediaId);
        return deleteWhere(collection, FilterExpressions.rows(filter));
    }

    @Override
    public void flush(String collection) {
        underWriteLock(() -> {
            doFlush(collection);
            return null;
        });
    }

    private void writeRows(String collection, List<VectorRow> rows, long indexedAt) {
        int batch = config.writeBatchSize();
        for (int from = 0; from < rows.size(); from += batch) {
            List<JsonObject> json = rows.subList(from, Math.min(rows.size(), from + batch)).stream()
                    .map(r -> RowCodec.toJson(r, indexedAt)).toList();
            call("upsert " + json.size() + " rows into " + collection, collection,
                    c -> c.upsert(UpsertReq.builder().collectionName(collection).data(json).build()));
        }
    }

    /**
     * Removes rows of these items that the new versions no longer have. A filter on {@code media_id} makes Milvus
     * Lite scan the whole collection (0.5 s per call at 10,000 rows, growing with the collection), so the common
     * case — nothing stale — is settled by a primary-key lookup instead: segments are numbered 0..n-1 and written in
     * that order (MediaItem enforces both), so the rows of any earlier version, even one whose write was cut short,
     * form a prefix 0..p-1, and an item now having n segment rows has stale rows exactly when the row
     * {@code <mediaId>#n} exists. Only those items go through the filter delete.
     */
    private long deleteStaleRows(String collection, List<MediaItem> items) {
        List<MediaItem> suspects = new ArrayList<>();
        Map<String, MediaItem> byProbe = new LinkedHashMap<>();
        for (MediaItem item : items) {
            byProbe.put(VectorFields.pk(item.mediaId(), item.rows().size() - 1), item);
        }
        String filter = FilterExpressions.in(VectorFields.PK, byProbe.keySet());
        QueryResp found = call("find stale rows in " + collection, collection, c -> c.query(QueryReq.builder()
                .collectionName(collection)
                .filter(filter)
                .outputFields(List.of(VectorFields.PK))
                .limit(byProbe.size())
                .consistencyLevel(ConsistencyLevel.STRONG)
                .build()));
        for (QueryResp.QueryResult r : found.getQueryResults()) {
            MediaItem item = byProbe.get(String.valueOf(r.getEntity().get(VectorFields.PK)));
            if (item != null) {
                suspects.add(item);
            }
        }
        long deleted = 0;
        List<String> mediaIds = new ArrayList<>();
        List<String> keep = new ArrayList<>();
        for (MediaItem item : suspects) {
            if (!mediaIds.isEmpty() && keep.size() + item.rows().size() > MAX_KEEP_PKS_PER_DELETE) {
                deleted += deleteRaw(collection, FilterExpressions.staleRows(mediaIds, keep));
                mediaIds.clear();
                keep.clear();
            }
            mediaIds.add(item.mediaId());
            item.rows().forEach(r -> keep.add(r.pk()));
        }
        if (!mediaIds.isEmpty()) {
            deleted += deleteRaw(collection, FilterExpressions.staleRows(mediaIds, keep));
        }
        return deleted;
    }

    private long deleteWhere(String collection, String filter) {
        return underWriteLock(() -> {
            long deleted = deleteRaw(collection, filter);
            flushIfConfigured(collection);
            return deleted;
        });
    }

    private long deleteRaw(String collection, String filter) {
        return call("delete from " + collection, collection,
                c -> c.delete(DeleteReq.builder().collectionName(collection).filter(filter).build()).getDeleteCnt());
    }

    private void flushIfConfigured(String collection) {
        if (config.flushAfterWrites()) {
            doFlush(collection);
        }
    }

    private void doFlush(String collection) {
        call("flush " + collection, null, c -> {
            c.flush(FlushReq.builder().collectionNames(List.of(collection)).build());
            return null;
        });
    }

    // ---- reads --------------------------------------------------------------------------------------------------

    @Override
    public List<SearchHit> search(SearchRequest request) {
        String target = request.collectionOrAlias();
        checkDimension(target, request.vector().length, "query vector");
        String filter = FilterExpressions.search(request.tenant(), request.modalities(), request.scope(),
                request.conditions());
        SearchResp response = call("search " + target, target, c -> c.search(SearchReq.builder()
                .collectionName(target)
                .annsField(VectorFields.VECTOR)
                .data(List.of(new FloatVec(request.vector())))
                .limit(request.topK())
                .filter(filter)
                .outputFields(VectorFields.SCALAR_FIELDS)
                .searchParams(CollectionLayout.searchParams(config.indexType(), request.topK()))
                .consistencyLevel(level(config.searchConsistency()))
                .build()));
        List<SearchHit> hits = new ArrayList<>();
        if (response.getSearchResults().isEmpty()) {
            return hits;
        }
        for (SearchResp.SearchResult r : response.getSearchResults().get(0)) {
            SearchHit hit = RowCodec.toHit(r.getId(), r.getScore(), r.getEntity());
            if (!request.tenant().equals(hit.tenant())) {
                // The server-side filter should make this impossible; never hand another tenant's row out if it does.
                LOG.error("Milvus returned row {} of another tenant for a search of tenant {} in {}: dropped",
                        hit.pk(), request.tenant(), target);
                continue;
            }
            hits.add(hit);
        }
        return hits;
    }

    @Override
    public Optional<float[]> wholeItemVector(String collectionOrAlias, String tenant, String mediaId) {
        RowFilter checked = RowFilter.tenant(tenant).andMediaId(mediaId);
        String filter = FilterExpressions.wholeItemRow(checked.tenant().orElseThrow(), checked.mediaId().orElseThrow());
        QueryResp response = call("wholeItemVector " + collectionOrAlias, collectionOrAlias, c -> c.query(QueryReq.builder()
                .collectionName(collectionOrAlias)
                .filter(filter)
                .outputFields(List.of(VectorFields.VECTOR))
                .limit(1)
                .consistencyLevel(ConsistencyLevel.STRONG)
                .build()));
        return response.getQueryResults().stream().findFirst()
                .map(r -> RowCodec.vector(r.getEntity().get(VectorFields.VECTOR)));
    }

    @Override
    public List<StoredRow> itemRows(String collectionOrAlias, String tenant, String mediaId, boolean withVectors) {
        String filter = FilterExpressions.rows(RowFilter.tenant(tenant).andMediaId(mediaId));
        List<String> fields = new ArrayList<>(VectorFields.SCALAR_FIELDS);
        if (withVectors) {
            fields.add(VectorFields.VECTOR);
        }
        QueryResp response = call("itemRows " + collectionOrAlias, collectionOrAlias, c -> c.query(QueryReq.builder()
                .collectionName(collectionOrAlias)
                .filter(filter)
                .outputFields(fields)
                .limit(QUERY_LIMIT)
                .consistencyLevel(ConsistencyLevel.STRONG)
                .build()));
        return response.getQueryResults().stream()
                .map(r -> RowCodec.toStoredRow(r.getEntity(), withVectors))
                .sorted(Comparator.comparingInt(StoredRow::segment))
                .toList();
    }

    @Override
    public long count(String collectionOrAlias, RowFilter filter) {
        String expression = FilterExpressions.rows(filter);
        QueryResp response = call("count " + collectionOrAlias, collectionOrAlias, c -> c.query(QueryReq.builder()
                .collectionName(collectionOrAlias)
                .filter(expression)
                .outputFields(List.of(COUNT))
                .consistencyLevel(ConsistencyLevel.STRONG)
                .build()));
        return response.getQueryResults().stream().findFirst()
                .map(r -> ((Number) r.getEntity().get(COUNT)).longValue())
                .orElse(0L);
    }

    @Override
    public boolean isReachable() {
        ClientProvider.Lease lease = null;
        try {
            lease = clients.acquire();
            lease.client().getServerVersion();
            return true;
        } catch (RuntimeException e) {
            LOG.debug("Milvus at {} is not reachable", config.uri(), e);
            if (ErrorClassifier.classify(e).isTransient()) {
                clients.discard(lease);
            }
            return false;
        }
    }

    @Override
    public void close() {
        clients.close();
    }

    // ---- plumbing -----------------------------------------------------------------------------------------------

    private Optional<DescribeCollectionResp> describe(String collectionOrAlias) {
        return Optional.ofNullable(callTolerating("describeCollection " + collectionOrAlias, null, EnumSet.of(Failure.NOT_FOUND),
                c -> c.describeCollection(DescribeCollectionReq.builder().collectionName(collectionOrAlias).build())));
    }

    private void checkDimensions(String collection, List<VectorRow> rows) {
        for (VectorRow row : rows) {
            checkDimension(collection, row.vector().length, "vector of row " + row.pk());
        }
    }

    private void checkDimension(String collectionOrAlias, int length, String what) {
        int expected = dimensionOf(collectionOrAlias);
        if (length != expected) {
            throw new InvalidVectorDataException(what + " has dimension " + length + " but " + collectionOrAlias
                    + " holds vectors of dimension " + expected);
        }
    }

    private int dimensionOf(String collectionOrAlias) {
        KnownDimension known = dimensions.get(collectionOrAlias);
        if (known != null && known.expiresAtNanos() - System.nanoTime() > 0) {
            return known.dimension();
        }
        ModelCollection mc = modelOf(collectionOrAlias).orElseThrow(() -> notFound(collectionOrAlias, null));
        boolean isAlias = !mc.collection().equals(collectionOrAlias);
        long expires = isAlias ? System.nanoTime() + ALIAS_DIMENSION_TTL_NANOS : Long.MAX_VALUE;
        dimensions.put(collectionOrAlias, new KnownDimension(mc.model().dimension(), expires));
        return mc.model().dimension();
    }

    private <T> T underWriteLock(Supplier<T> action) {
        try {
            writeLock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientVectorStoreException("interrupted while waiting to write to Milvus", e);
        }
        try {
            return action.get();
        } finally {
            writeLock.unlock();
        }
    }

    private <T> T call(String operation, String loadTarget, Function<MilvusClientV2, T> action) {
        return callTolerating(operation, loadTarget, EnumSet.noneOf(Failure.class), action);
    }

    /**
     * Runs one SDK call with the store's retry policy. Returns {@code null} when it fails in one of the
     * {@code tolerated} ways (e.g. "already exists" for a create).
     *
     * @param loadTarget collection or alias that must be loaded for the call, or {@code null}
     */
    private <T> T callTolerating(String operation, String loadTarget, Set<Failure> tolerated,
                                 Function<MilvusClientV2, T> action) {
        RetryPolicy policy = config.retryPolicy();
        // The shared retry (io.tessera.retry): attempt() sorts each SDK failure (ErrorClassifier) and throws
        // TransientVectorStoreException for the ones worth another attempt; everything else surfaces at once.
        Retrying retrying = Retrying.with("milvus", policy)
                .classify(t -> t instanceof TransientVectorStoreException ? new Fault.Transient("MILVUS", t) : null)
                .beforeRetry((fault, retry, wait) -> LOG.debug("{} failed ({}), attempt {} of {}, retrying in {} ms",
                        operation, fault.cause().getMessage(), retry, policy.maxAttempts(), wait.toMillis()))
                .build();
        boolean[] releaseChecked = {false};
        int[] attempts = {0};
        try {
            return retrying.get(() -> {
                attempts[0]++;
                return attempt(operation, loadTarget, tolerated, action, releaseChecked);
            });
        } catch (TransientVectorStoreException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new TransientVectorStoreException(operation + " interrupted while waiting to retry", e.getCause());
            }
            throw new TransientVectorStoreException(operation + " failed after " + attempts[0] + " attempt(s): "
                    + e.getMessage(), e.getCause());
        }
    }

    /** One attempt of {@link #callTolerating}; a failure worth retrying is a {@link TransientVectorStoreException}. */
    private <T> T attempt(String operation, String loadTarget, Set<Failure> tolerated,
                          Function<MilvusClientV2, T> action, boolean[] releaseChecked) {
        ClientProvider.Lease lease = null;
        RuntimeException failure;
        Failure kind;
        try {
            lease = clients.acquire();
            if (loadTarget != null) {
                loadIfNeeded(lease, loadTarget);
            }
            return action.apply(lease.client());
        } catch (VectorStoreException e) {
            throw e;
        } catch (RuntimeException e) {
            failure = e;
            kind = ErrorClassifier.classify(e);
        }
        if (tolerated.contains(kind)) {
            return null;
        }
        switch (kind) {
            case UNREACHABLE, TIMEOUT -> clients.discard(lease);
            case NOT_LOADED -> forgetLoaded(loadTarget);
            case UNREADABLE_SERVER_ERROR -> {
                // Milvus Lite answers a call on a released collection with a code the SDK cannot read; find
                // out whether that was the cause before calling it permanent.
                if (loadTarget != null && lease != null && !releaseChecked[0]) {
                    releaseChecked[0] = true;
                    if (isReleased(lease, loadTarget)) {
                        forgetLoaded(loadTarget);
                        kind = Failure.NOT_LOADED;
                    }
                }
            }
            default -> { }
        }
        if (!kind.isTransient()) {
            throw permanent(operation, kind, failure);
        }
        throw new TransientVectorStoreException("Milvus at " + config.uri() + " is " + describe(kind) + " ("
                + failure.getMessage() + ")", failure);
    }

    private void loadIfNeeded(ClientProvider.Lease lease, String collectionOrAlias) {
        Long epoch = loadedOnConnection.get(collectionOrAlias);
        if (epoch != null && epoch == lease.epoch()) {
            return;
        }
        MilvusClientV2 c = lease.client();
        if (!Boolean.TRUE.equals(c.getLoadState(GetLoadStateReq.builder().collectionName(collectionOrAlias).build()))) {
            LOG.info("Loading Milvus collection {} (it is released, e.g. after a Milvus restart)", collectionOrAlias);
            c.loadCollection(LoadCollectionReq.builder().collectionName(collectionOrAlias).build());
        }
        loadedOnConnection.put(collectionOrAlias, lease.epoch());
    }

    private boolean isReleased(ClientProvider.Lease lease, String collectionOrAlias) {
        try {
            return !Boolean.TRUE.equals(lease.client().getLoadState(
                    GetLoadStateReq.builder().collectionName(collectionOrAlias).build()));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void forgetLoaded(String collectionOrAlias) {
        if (collectionOrAlias != null) {
            loadedOnConnection.remove(collectionOrAlias);
        }
    }

    private static PermanentVectorStoreException permanent(String operation, Failure kind, RuntimeException failure) {
        String message = operation + " failed: " + failure.getMessage();
        return switch (kind) {
            case NOT_FOUND -> new CollectionNotFoundException(message + " (create it with ensureCollection)", failure);
            case INVALID_INPUT -> new InvalidVectorDataException(message, failure);
            case UNREADABLE_SERVER_ERROR -> new PermanentVectorStoreException(operation
                    + " was refused by Milvus with an error code the SDK cannot read (Milvus Lite's legacy codes hide"
                    + " the reason: see the Milvus log)", failure);
            default -> new PermanentVectorStoreException(message, failure);
        };
    }

    private static CollectionNotFoundException notFound(String name, Throwable cause) {
        return new CollectionNotFoundException("Milvus has no collection or alias named " + name
                + " (create it with ensureCollection)", cause);
    }

    private static String describe(Failure kind) {
        return switch (kind) {
            case UNREACHABLE -> "unreachable";
            case TIMEOUT -> "not answering in time";
            case NOT_LOADED -> "still loading the collection";
            default -> kind.name();
        };
    }

    private static ConsistencyLevel level(Consistency c) {
        return switch (c) {
            case STRONG -> ConsistencyLevel.STRONG;
            case BOUNDED -> ConsistencyLevel.BOUNDED;
            case SESSION -> ConsistencyLevel.SESSION;
            case EVENTUALLY -> ConsistencyLevel.EVENTUALLY;
        };
    }
}
