package io.tessera.indexer;

import io.tessera.vectorstore.CollectionNaming;
import io.tessera.vectorstore.MediaItem;
import io.tessera.vectorstore.ModelCollection;
import io.tessera.vectorstore.ModelSpec;
import io.tessera.vectorstore.RowFilter;
import io.tessera.vectorstore.SearchHit;
import io.tessera.vectorstore.SearchRequest;
import io.tessera.vectorstore.StoredRow;
import io.tessera.vectorstore.TransientVectorStoreException;
import io.tessera.vectorstore.VectorRow;
import io.tessera.vectorstore.VectorStore;
import io.tessera.vectorstore.WriteResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sink boundary for unit tests: keeps rows in memory the way the contract says Milvus holds them (one row per
 * pk, an item's stale segments removed), and can be switched "down" to simulate an outage. Only the calls the
 * pipeline makes are implemented.
 */
final class FakeVectorStore implements VectorStore {

    final Map<String, ModelSpec> collections = new ConcurrentHashMap<>();
    final Map<String, Map<String, VectorRow>> rows = new ConcurrentHashMap<>();
    final AtomicInteger writeCalls = new AtomicInteger();
    final AtomicInteger failedCalls = new AtomicInteger();
    volatile boolean down;

    @Override
    public CollectionNaming naming() {
        return CollectionNaming.DEFAULT;
    }

    private void checkUp() {
        if (down) {
            failedCalls.incrementAndGet();
            throw new TransientVectorStoreException("Milvus unavailable (simulated)", null);
        }
    }

    @Override
    public synchronized ModelCollection ensureCollection(ModelSpec model) {
        checkUp();
        String name = naming().collection(model.name(), model.version());
        collections.putIfAbsent(name, model);
        rows.computeIfAbsent(name, k -> new TreeMap<>());
        return new ModelCollection(name, naming().alias(model.name()), model);
    }

    @Override
    public synchronized WriteResult replaceItems(String collection, List<MediaItem> items) {
        checkUp();
        writeCalls.incrementAndGet();
        Map<String, VectorRow> table = rows.get(collection);
        if (table == null) {
            throw new io.tessera.vectorstore.CollectionNotFoundException("no collection " + collection, null);
        }
        long stale = 0;
        long written = 0;
        for (MediaItem item : items) {
            var keep = item.rows().stream().map(VectorRow::pk).toList();
            stale += removeIf(table, item.mediaId(), keep);
            for (VectorRow row : item.rows()) {
                table.put(row.pk(), row);
                written++;
            }
        }
        return new WriteResult(written, stale, System.currentTimeMillis());
    }

    private static long removeIf(Map<String, VectorRow> table, String mediaId, List<String> keep) {
        var doomed = table.values().stream().filter(r -> r.mediaId().equals(mediaId) && !keep.contains(r.pk()))
                .map(VectorRow::pk).toList();
        doomed.forEach(table::remove);
        return doomed.size();
    }

    @Override
    public synchronized long deleteItemInAnyTenant(String collection, String mediaId) {
        checkUp();
        Map<String, VectorRow> table = rows.get(collection);
        return table == null ? 0 : removeIf(table, mediaId, List.of());
    }

    synchronized List<VectorRow> rowsOf(String collection, String mediaId) {
        return rows.getOrDefault(collection, Map.of()).values().stream().filter(r -> r.mediaId().equals(mediaId))
                .sorted(java.util.Comparator.comparingInt(VectorRow::segment)).toList();
    }

    synchronized int size(String collection) {
        return rows.getOrDefault(collection, Map.of()).size();
    }

    @Override
    public boolean isReachable() {
        return !down;
    }

    @Override
    public void close() {
    }

    // ---- not used by the pipeline

    @Override
    public void ensureLoaded(String collectionOrAlias) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<ModelCollection> modelOf(String collectionOrAlias) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<ModelCollection> listCollections(String modelName) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void dropCollection(String collection) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void pointAlias(String alias, String collection) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<String> resolveAlias(String alias) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void dropAlias(String alias) {
        throw new UnsupportedOperationException();
    }

    @Override
    public WriteResult upsert(String collection, List<VectorRow> rows) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long deleteItem(String collection, String tenant, String mediaId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void flush(String collection) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<SearchHit> search(SearchRequest request) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<float[]> wholeItemVector(String collectionOrAlias, String tenant, String mediaId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<StoredRow> itemRows(String collectionOrAlias, String tenant, String mediaId, boolean withVectors) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long count(String collectionOrAlias, RowFilter filter) {
        throw new UnsupportedOperationException();
    }
}
