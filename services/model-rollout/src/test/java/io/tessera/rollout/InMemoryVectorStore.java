package io.tessera.rollout;

import io.tessera.vectorstore.CollectionNaming;
import io.tessera.vectorstore.MediaItem;
import io.tessera.vectorstore.ModelCollection;
import io.tessera.vectorstore.ModelSpec;
import io.tessera.vectorstore.PermanentVectorStoreException;
import io.tessera.vectorstore.RowFilter;
import io.tessera.vectorstore.SearchHit;
import io.tessera.vectorstore.SearchRequest;
import io.tessera.vectorstore.StoredRow;
import io.tessera.vectorstore.VectorRow;
import io.tessera.vectorstore.VectorStore;
import io.tessera.vectorstore.WriteResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Milvus at the boundary for unit tests: collections, aliases (with Milvus' drop guard) and rows, in memory. */
final class InMemoryVectorStore implements VectorStore {

    private final Map<String, ModelSpec> collections = new HashMap<>();
    private final Map<String, Map<String, VectorRow>> rows = new HashMap<>();
    private final Map<String, String> aliases = new HashMap<>();
    final List<String> dropped = new ArrayList<>();

    @Override
    public CollectionNaming naming() {
        return CollectionNaming.DEFAULT;
    }

    @Override
    public synchronized ModelCollection ensureCollection(ModelSpec model) {
        String name = naming().collection(model.name(), model.version());
        collections.putIfAbsent(name, model);
        rows.computeIfAbsent(name, k -> new TreeMap<>());
        aliases.putIfAbsent(naming().alias(model.name()), name);
        return new ModelCollection(name, naming().alias(model.name()), model);
    }

    @Override
    public void ensureLoaded(String collectionOrAlias) {
    }

    private String resolve(String name) {
        return aliases.getOrDefault(name, name);
    }

    @Override
    public synchronized Optional<ModelCollection> modelOf(String collectionOrAlias) {
        String c = resolve(collectionOrAlias);
        ModelSpec spec = collections.get(c);
        return spec == null ? Optional.empty()
                : Optional.of(new ModelCollection(c, naming().alias(spec.name()), spec));
    }

    @Override
    public synchronized List<ModelCollection> listCollections(String modelName) {
        return collections.entrySet().stream().filter(e -> e.getValue().name().equals(modelName))
                .map(e -> new ModelCollection(e.getKey(), naming().alias(modelName), e.getValue()))
                .sorted(Comparator.comparingInt(c -> c.model().version())).toList();
    }

    @Override
    public synchronized void dropCollection(String collection) {
        if (aliases.containsValue(collection)) {
            throw new PermanentVectorStoreException("an alias points at " + collection, null);
        }
        if (collections.remove(collection) != null) {
            rows.remove(collection);
            dropped.add(collection);
        }
    }

    @Override
    public synchronized void pointAlias(String alias, String collection) {
        if (!collections.containsKey(collection)) {
            throw new PermanentVectorStoreException("no collection " + collection, null);
        }
        aliases.put(alias, collection);
    }

    @Override
    public synchronized Optional<String> resolveAlias(String alias) {
        return Optional.ofNullable(aliases.get(alias));
    }

    @Override
    public synchronized void dropAlias(String alias) {
        aliases.remove(alias);
    }

    @Override
    public synchronized WriteResult upsert(String collection, List<VectorRow> newRows) {
        Map<String, VectorRow> table = table(collection);
        newRows.forEach(r -> table.put(r.pk(), r));
        return new WriteResult(newRows.size(), 0, System.currentTimeMillis());
    }

    private Map<String, VectorRow> table(String collection) {
        Map<String, VectorRow> table = rows.get(resolve(collection));
        if (table == null) {
            throw new io.tessera.vectorstore.CollectionNotFoundException("no collection " + collection, null);
        }
        return table;
    }

    @Override
    public synchronized WriteResult replaceItems(String collection, List<MediaItem> items) {
        Map<String, VectorRow> table = table(collection);
        long written = 0;
        for (MediaItem item : items) {
            table.values().removeIf(r -> r.mediaId().equals(item.mediaId()));
            for (VectorRow r : item.rows()) {
                table.put(r.pk(), r);
                written++;
            }
        }
        return new WriteResult(written, 0, System.currentTimeMillis());
    }

    @Override
    public synchronized long deleteItem(String collection, String tenant, String mediaId) {
        Map<String, VectorRow> table = table(collection);
        int before = table.size();
        table.values().removeIf(r -> r.mediaId().equals(mediaId) && r.tenant().equals(tenant));
        return before - table.size();
    }

    @Override
    public synchronized long deleteItemInAnyTenant(String collection, String mediaId) {
        Map<String, VectorRow> table = table(collection);
        int before = table.size();
        table.values().removeIf(r -> r.mediaId().equals(mediaId));
        return before - table.size();
    }

    @Override
    public void flush(String collection) {
    }

    @Override
    public List<SearchHit> search(SearchRequest request) {
        throw new UnsupportedOperationException("the roll-out does not search");
    }

    @Override
    public synchronized Optional<float[]> wholeItemVector(String collectionOrAlias, String tenant, String mediaId) {
        return Optional.ofNullable(table(collectionOrAlias).get(mediaId + "#-1")).map(VectorRow::vector);
    }

    @Override
    public synchronized List<StoredRow> itemRows(String collectionOrAlias, String tenant, String mediaId,
                                                 boolean withVectors) {
        return table(collectionOrAlias).values().stream()
                .filter(r -> r.mediaId().equals(mediaId) && r.tenant().equals(tenant))
                .map(r -> new StoredRow(r.pk(), r.mediaId(), r.tenant(), r.modality(), r.segment(), r.startMs(),
                        r.endMs(), 0, r.attributes(), withVectors ? r.vector() : null)).toList();
    }

    @Override
    public synchronized long count(String collectionOrAlias, RowFilter filter) {
        return table(collectionOrAlias).values().stream()
                .filter(r -> filter.tenant().map(r.tenant()::equals).orElse(true))
                .filter(r -> filter.mediaId().map(r.mediaId()::equals).orElse(true)).count();
    }

    @Override
    public boolean isReachable() {
        return true;
    }

    @Override
    public void close() {
    }

    synchronized boolean exists(String collection) {
        return collections.containsKey(collection);
    }

    synchronized boolean holds(String collection, String mediaId) {
        Map<String, VectorRow> table = rows.get(resolve(collection));
        return table != null && table.containsKey(mediaId + "#-1");
    }

    /** Atomically: the collection behind the alias holds the item's whole-item row. */
    synchronized boolean searchable(String alias, String mediaId) {
        String c = aliases.get(alias);
        return c != null && holds(c, mediaId);
    }
}
