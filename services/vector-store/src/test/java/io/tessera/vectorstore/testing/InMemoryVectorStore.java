package io.tessera.vectorstore.testing;

import io.tessera.vectorstore.AttributeValues;
import io.tessera.vectorstore.CollectionNaming;
import io.tessera.vectorstore.CollectionNotFoundException;
import io.tessera.vectorstore.InvalidVectorDataException;
import io.tessera.vectorstore.MediaItem;
import io.tessera.vectorstore.ModelCollection;
import io.tessera.vectorstore.ModelSpec;
import io.tessera.vectorstore.PermanentVectorStoreException;
import io.tessera.vectorstore.RowCondition;
import io.tessera.vectorstore.RowFilter;
import io.tessera.vectorstore.SchemaMismatchException;
import io.tessera.vectorstore.SearchHit;
import io.tessera.vectorstore.SearchRequest;
import io.tessera.vectorstore.SegmentScope;
import io.tessera.vectorstore.StoredRow;
import io.tessera.vectorstore.TransientVectorStoreException;
import io.tessera.vectorstore.VectorFields;
import io.tessera.vectorstore.VectorRow;
import io.tessera.vectorstore.VectorStore;
import io.tessera.vectorstore.WriteResult;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Milvus at the boundary for unit tests: collections, aliases and rows in memory, with exact (brute-force) COSINE
 * search. It is held to the same contract as the Milvus store ({@code VectorStoreContract}, run by
 * {@code InMemoryVectorStoreTest} and {@code VectorStoreIT}), so a unit test that passes against it is not passing
 * against a fake that Milvus would contradict. Where the two could differ, this one copies Milvus.
 * <p>
 * Beyond the interface it has a few test hooks: an outage switch ({@link #down}), call counters, and atomic
 * inspection of what is stored ({@link #rowsOf}, {@link #searchable}). Every method is synchronized: the pipelines
 * under test write from several threads while the test inspects.
 */
public final class InMemoryVectorStore implements VectorStore {

    /** Milvus' limit on one query's rows, which {@link #itemRows} inherits. */
    private static final int QUERY_LIMIT = 16_384;

    private record Stored(VectorRow row, long indexedAt) {
    }

    private final CollectionNaming naming;
    private final LongSupplier clock;
    private final Map<String, ModelSpec> collections = new HashMap<>();
    // TreeMap per collection: iteration in pk order keeps the tests' output deterministic.
    private final Map<String, Map<String, Stored>> rows = new HashMap<>();
    private final Map<String, String> aliases = new HashMap<>();
    private final AtomicInteger writeCalls = new AtomicInteger();
    private final AtomicInteger failedCalls = new AtomicInteger();
    private volatile boolean down;

    public InMemoryVectorStore() {
        this(CollectionNaming.DEFAULT, System::currentTimeMillis);
    }

    public InMemoryVectorStore(CollectionNaming naming, LongSupplier clock) {
        this.naming = naming;
        this.clock = clock;
    }

    // ---- test hooks --------------------------------------------------------------------------------------------

    /**
     * Simulates a Milvus outage: while down, every call that would reach Milvus fails with a
     * {@link TransientVectorStoreException} (what the Milvus store throws once its retries are spent) and
     * {@link #isReachable()} is false.
     */
    public void down(boolean isDown) {
        this.down = isDown;
    }

    /** Calls refused because the store was {@link #down}. */
    public int failedCalls() {
        return failedCalls.get();
    }

    /** Calls of {@link #upsert} and {@link #replaceItems} that got through: shows whether callers batch. */
    public int writeCalls() {
        return writeCalls.get();
    }

    public synchronized boolean exists(String collection) {
        return collections.containsKey(collection);
    }

    /** Whether the collection (or the one behind the alias) holds the item's whole-item row, in any tenant. */
    public synchronized boolean holds(String collectionOrAlias, String mediaId) {
        Map<String, Stored> table = rows.get(resolve(collectionOrAlias));
        return table != null && table.containsKey(VectorFields.pk(mediaId, VectorFields.WHOLE_ITEM));
    }

    /**
     * Atomically: the alias exists and its collection holds the item. Two separate calls could see the alias
     * before a flip and the rows after it, which is exactly the race a roll-out test looks for.
     */
    public synchronized boolean searchable(String alias, String mediaId) {
        String collection = aliases.get(alias);
        return collection != null && holds(collection, mediaId);
    }

    /** The rows of a mediaId in any tenant, ordered by segment; empty when the collection does not exist. */
    public synchronized List<VectorRow> rowsOf(String collectionOrAlias, String mediaId) {
        return rows.getOrDefault(resolve(collectionOrAlias), Map.of()).values().stream().map(Stored::row)
                .filter(r -> r.mediaId().equals(mediaId))
                .sorted(Comparator.comparingInt(VectorRow::segment)).toList();
    }

    /** Number of rows of all tenants; 0 when the collection does not exist. */
    public synchronized int size(String collectionOrAlias) {
        return rows.getOrDefault(resolve(collectionOrAlias), Map.of()).size();
    }

    private void checkUp() {
        if (down) {
            failedCalls.incrementAndGet();
            throw new TransientVectorStoreException("Milvus unavailable (simulated by InMemoryVectorStore)", null);
        }
    }

    // ---- collections and aliases -------------------------------------------------------------------------------

    @Override
    public CollectionNaming naming() {
        return naming;
    }

    @Override
    public synchronized ModelCollection ensureCollection(ModelSpec model) {
        checkUp();
        String name = naming.collection(model.name(), model.version());
        String alias = naming.alias(model.name());
        ModelSpec existing = collections.get(name);
        if (existing == null) {
            collections.put(name, model);
            rows.put(name, new TreeMap<>());
        } else if (!existing.equals(model)) {
            throw new SchemaMismatchException("collection " + name + " records model " + existing.name() + " v"
                    + existing.version() + " (dimension " + existing.dimension() + "), not " + model.name() + " v"
                    + model.version() + " (dimension " + model.dimension() + ")");
        }
        aliases.putIfAbsent(alias, name);
        return new ModelCollection(name, alias, model);
    }

    @Override
    public synchronized void ensureLoaded(String collectionOrAlias) {
        checkUp();
        table(collectionOrAlias);
    }

    @Override
    public synchronized Optional<ModelCollection> modelOf(String collectionOrAlias) {
        checkUp();
        String name = resolve(collectionOrAlias);
        ModelSpec spec = collections.get(name);
        return spec == null ? Optional.empty() : Optional.of(new ModelCollection(name, naming.alias(spec.name()), spec));
    }

    @Override
    public synchronized List<ModelCollection> listCollections(String modelName) {
        checkUp();
        return collections.entrySet().stream()
                .filter(e -> naming.versionOf(modelName, e.getKey()).isPresent())
                .map(e -> new ModelCollection(e.getKey(), naming.alias(e.getValue().name()), e.getValue()))
                .sorted(Comparator.comparingInt(c -> c.model().version())).toList();
    }

    @Override
    public synchronized void dropCollection(String collection) {
        checkUp();
        // Full Milvus refuses to drop a collection an alias points at; Milvus Lite (the local stack and the contract's
        // reference) drops it. Callers drop the alias first either way; here the alias goes with its collection.
        aliases.values().removeIf(collection::equals);
        collections.remove(collection);
        rows.remove(collection);
    }

    @Override
    public synchronized void pointAlias(String alias, String collection) {
        checkUp();
        if (!collections.containsKey(collection)) {
            throw new CollectionNotFoundException("collection " + collection + " does not exist", null);
        }
        if (collections.containsKey(alias)) {
            // Milvus keeps alias and collection names apart; allowing it here would let tests pass that Milvus fails.
            throw new PermanentVectorStoreException("cannot create alias " + alias + ": a collection has that name", null);
        }
        aliases.put(alias, collection);
    }

    @Override
    public synchronized Optional<String> resolveAlias(String alias) {
        checkUp();
        return Optional.ofNullable(aliases.get(alias));
    }

    @Override
    public synchronized void dropAlias(String alias) {
        checkUp();
        aliases.remove(alias);
    }

    // ---- writes -------------------------------------------------------------------------------------------------

    @Override
    public synchronized WriteResult upsert(String collection, List<VectorRow> newRows) {
        checkUp();
        long indexedAt = clock.getAsLong();
        if (newRows.isEmpty()) {
            return new WriteResult(0, 0, indexedAt);
        }
        Map<String, VectorRow> byPk = new LinkedHashMap<>();
        newRows.forEach(r -> byPk.put(r.pk(), r));
        Map<String, Stored> table = writableTable(collection, byPk.values());
        writeCalls.incrementAndGet();
        byPk.values().forEach(r -> table.put(r.pk(), new Stored(r, indexedAt)));
        return new WriteResult(byPk.size(), 0, indexedAt);
    }

    @Override
    public synchronized WriteResult replaceItems(String collection, List<MediaItem> items) {
        checkUp();
        long indexedAt = clock.getAsLong();
        if (items.isEmpty()) {
            return new WriteResult(0, 0, indexedAt);
        }
        Map<String, MediaItem> byMediaId = new LinkedHashMap<>();
        items.forEach(i -> byMediaId.put(i.mediaId(), i));
        List<VectorRow> all = byMediaId.values().stream().flatMap(i -> i.rows().stream()).toList();
        Map<String, Stored> table = writableTable(collection, all);
        writeCalls.incrementAndGet();
        all.forEach(r -> table.put(r.pk(), new Stored(r, indexedAt)));
        Set<String> keep = all.stream().map(VectorRow::pk).collect(Collectors.toSet());
        // Whatever tenant a stale row was written under: the mediaId is the item's identity (see the interface).
        List<String> stale = table.values().stream().map(Stored::row)
                .filter(r -> byMediaId.containsKey(r.mediaId()) && !keep.contains(r.pk()))
                .map(VectorRow::pk).toList();
        stale.forEach(table::remove);
        return new WriteResult(all.size(), stale.size(), indexedAt);
    }

    @Override
    public synchronized long deleteItem(String collection, String tenant, String mediaId) {
        checkUp();
        RowFilter filter = RowFilter.tenant(tenant).andMediaId(mediaId);
        return deleteWhere(collection, filter);
    }

    @Override
    public synchronized long deleteItemInAnyTenant(String collection, String mediaId) {
        checkUp();
        return deleteWhere(collection, RowFilter.all().andMediaId(mediaId));
    }

    private long deleteWhere(String collection, RowFilter filter) {
        Map<String, Stored> table = table(collection);
        List<String> doomed = table.values().stream().map(Stored::row).filter(r -> matches(r, filter))
                .map(VectorRow::pk).toList();
        doomed.forEach(table::remove);
        return doomed.size();
    }

    @Override
    public synchronized void flush(String collection) {
        checkUp();
    }

    // ---- reads --------------------------------------------------------------------------------------------------

    @Override
    public synchronized List<SearchHit> search(SearchRequest request) {
        checkUp();
        Map<String, Stored> table = table(request.collectionOrAlias());
        checkDimension(request.collectionOrAlias(), request.vector().length, "query vector");
        RowFilter filter = RowFilter.tenant(request.tenant()).andScope(request.scope());
        return table.values().stream()
                .filter(s -> matches(s.row(), filter))
                .filter(s -> request.modalities().isEmpty() || request.modalities().contains(s.row().modality()))
                .filter(s -> request.conditions().stream().allMatch(c -> meets(s, c)))
                .map(s -> hit(s, cosine(request.vector(), s.row().vector())))
                .sorted(Comparator.comparingDouble((SearchHit h) -> h.score()).reversed()
                        .thenComparing(SearchHit::pk))
                .limit(request.topK())
                .toList();
    }

    @Override
    public synchronized Optional<float[]> wholeItemVector(String collectionOrAlias, String tenant, String mediaId) {
        checkUp();
        Stored s = table(collectionOrAlias).get(VectorFields.pk(mediaId, VectorFields.WHOLE_ITEM));
        return s == null || !s.row().tenant().equals(tenant) ? Optional.empty() : Optional.of(s.row().vector().clone());
    }

    @Override
    public synchronized List<StoredRow> itemRows(String collectionOrAlias, String tenant, String mediaId,
                                                 boolean withVectors) {
        checkUp();
        RowFilter filter = RowFilter.tenant(tenant).andMediaId(mediaId);
        return table(collectionOrAlias).values().stream()
                .filter(s -> matches(s.row(), filter))
                .limit(QUERY_LIMIT)
                .map(s -> storedRow(s, withVectors))
                .sorted(Comparator.comparingInt(StoredRow::segment))
                .toList();
    }

    @Override
    public synchronized long count(String collectionOrAlias, RowFilter filter) {
        checkUp();
        return table(collectionOrAlias).values().stream().filter(s -> matches(s.row(), filter)).count();
    }

    @Override
    public boolean isReachable() {
        return !down;
    }

    @Override
    public void close() {
    }

    // ---- plumbing -----------------------------------------------------------------------------------------------

    private String resolve(String collectionOrAlias) {
        return aliases.getOrDefault(collectionOrAlias, collectionOrAlias);
    }

    private Map<String, Stored> table(String collectionOrAlias) {
        Map<String, Stored> table = rows.get(resolve(collectionOrAlias));
        if (table == null) {
            throw new CollectionNotFoundException("collection " + collectionOrAlias + " does not exist", null);
        }
        return table;
    }

    /** Checks every row before writing any, so that a rejected batch leaves nothing behind (as Milvus does). */
    private Map<String, Stored> writableTable(String collection, Iterable<VectorRow> toWrite) {
        Map<String, Stored> table = table(collection);
        for (VectorRow row : toWrite) {
            checkDimension(collection, row.vector().length, "vector of row " + row.pk());
        }
        return table;
    }

    private void checkDimension(String collectionOrAlias, int length, String what) {
        int expected = collections.get(resolve(collectionOrAlias)).dimension();
        if (length != expected) {
            throw new InvalidVectorDataException(what + " has dimension " + length + " but " + collectionOrAlias
                    + " holds vectors of dimension " + expected);
        }
    }

    private static boolean matches(VectorRow r, RowFilter filter) {
        return filter.tenant().map(r.tenant()::equals).orElse(true)
                && filter.mediaId().map(r.mediaId()::equals).orElse(true)
                && filter.modality().map(r.modality()::equals).orElse(true)
                && switch (filter.scope()) {
                    case ALL -> true;
                    case WHOLE_ITEMS -> r.isWholeItem();
                    case SEGMENTS -> !r.isWholeItem();
                };
    }

    /** As Milvus evaluates the clauses: a row without the attribute (or without a numeric view of it) never matches. */
    private static boolean meets(Stored s, RowCondition condition) {
        return switch (condition) {
            case RowCondition.AttributeIn in -> {
                String value = s.row().attributes().get(in.name());
                yield value != null && in.values().contains(value);
            }
            case RowCondition.AttributeRange r -> {
                String value = s.row().attributes().get(r.name());
                yield value != null && AttributeValues.numeric(value).map(n -> inRange(n, r.range())).orElse(false);
            }
            case RowCondition.IndexedAtRange r -> inRange(s.indexedAt(), r.range());
        };
    }

    private static boolean inRange(Number value, RowCondition.Range range) {
        BigDecimal v = decimal(value);
        if (range.min() != null) {
            int c = v.compareTo(decimal(range.min()));
            if (c < 0 || (c == 0 && !range.minInclusive())) {
                return false;
            }
        }
        if (range.max() != null) {
            int c = v.compareTo(decimal(range.max()));
            return c < 0 || (c == 0 && range.maxInclusive());
        }
        return true;
    }

    private static BigDecimal decimal(Number n) {
        return n instanceof Long || n instanceof Integer ? BigDecimal.valueOf(n.longValue()) : BigDecimal.valueOf(n.doubleValue());
    }

    private static float cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return (float) (dot / Math.sqrt(na * nb));
    }

    private static SearchHit hit(Stored s, float score) {
        VectorRow r = s.row();
        return new SearchHit(r.pk(), r.mediaId(), r.tenant(), r.modality(), r.segment(), r.startMs(), r.endMs(),
                s.indexedAt(), score, r.attributes(), r.passage());
    }

    private static StoredRow storedRow(Stored s, boolean withVectors) {
        VectorRow r = s.row();
        return new StoredRow(r.pk(), r.mediaId(), r.tenant(), r.modality(), r.segment(), r.startMs(), r.endMs(),
                s.indexedAt(), r.attributes(), withVectors ? r.vector().clone() : null, r.passage());
    }
}
