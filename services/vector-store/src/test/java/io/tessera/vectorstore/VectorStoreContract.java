package io.tessera.vectorstore;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static io.tessera.vectorstore.MilvusTestSupport.segments;
import static io.tessera.vectorstore.MilvusTestSupport.unitVector;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link VectorStore} must do, written against Milvus' behaviour: {@code VectorStoreIT} runs it against
 * the local stack's Milvus and {@code InMemoryVectorStoreTest} against the in-memory store that other modules' unit
 * tests use, so that store cannot drift from Milvus unnoticed. Each test gets a fresh store and its own model.
 */
public abstract class VectorStoreContract {

    protected static final int DIM = 32;

    protected final Random random = new Random(42);
    protected VectorStore store;
    protected String model;
    protected ModelCollection v1;

    /** A store to test; closed after each test. */
    protected abstract VectorStore createStore();

    @BeforeEach
    void setUpContract() {
        store = createStore();
        // Unique per test: the Milvus of the local stack is shared by every run.
        model = MilvusTestSupport.uniqueModel("vs");
        v1 = store.ensureCollection(new ModelSpec(model, 1, DIM));
    }

    @AfterEach
    void tearDownContract() {
        if (store != null) {
            if (model != null) {
                MilvusTestSupport.dropModel(store, model);
            }
            store.close();
        }
    }

    @Test
    void ensureCollectionCreatesTheLayoutOnceAndRecordsTheModel() {
        assertEquals(store.naming().collection(model, 1), v1.collection());
        assertTrue(v1.collection().matches("it_vs_[0-9a-f]{8}_v1"), v1.collection());
        assertEquals(Optional.of(v1.collection()), store.resolveAlias(v1.alias()), "first collection gets the alias");

        ModelCollection again = store.ensureCollection(new ModelSpec(model, 1, DIM));
        assertEquals(v1, again);
        assertEquals(Optional.of(v1), store.modelOf(v1.collection()));
        assertEquals(Optional.of(v1), store.modelOf(v1.alias()), "the model version is readable through the alias");
        assertEquals(Optional.empty(), store.modelOf(v1.collection() + "_missing"));
    }

    @Test
    void ensureCollectionRefusesAnExistingCollectionOfAnotherDimension() {
        SchemaMismatchException e = assertThrows(SchemaMismatchException.class,
                () -> store.ensureCollection(new ModelSpec(model, 1, DIM * 2)));
        assertTrue(e.getMessage().contains("dimension"), e.getMessage());
        assertFalse(e.isTransient());
    }

    @Test
    void everyItemsOwnVectorFindsItselfFirst() {
        List<MediaItem> items = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            items.add(item("img-" + i, "acme", "IMAGE", 0, Map.of("n", Integer.toString(i))));
        }
        WriteResult written = store.replaceItems(v1.collection(), items);
        assertEquals(40, written.rowsWritten());

        for (MediaItem item : items) {
            float[] own = item.rows().get(0).vector();
            List<SearchHit> hits = store.search(SearchRequest.of(v1.alias(), "acme", own, 5));
            SearchHit first = hits.get(0);
            assertEquals(item.mediaId(), first.mediaId());
            assertEquals(1.0f, first.score(), 1e-4f);
            assertEquals("IMAGE", first.modality());
            assertEquals(VectorFields.WHOLE_ITEM, first.segment());
            assertEquals(null, first.startMs());
            assertEquals(written.indexedAt(), first.indexedAt());
            assertEquals(item.rows().get(0).attributes(), first.attributes(), "dynamic attributes come back");
        }
    }

    @Test
    void segmentsKeepTheirTimestampsAndModalityAndScopeFilter() {
        MediaItem video = item("vid-1", "acme", "VIDEO", 3, Map.of());
        store.replaceItems(v1.collection(), List.of(video));
        store.replaceItems(v1.collection(), List.of(item("doc-1", "acme", "DOCUMENT", 0, Map.of())));

        List<StoredRow> rows = store.itemRows(v1.alias(), "acme", "vid-1", true);
        assertEquals(List.of(-1, 0, 1, 2), segments(rows));
        assertEquals(1000L, rows.get(2).startMs());
        assertEquals(2000L, rows.get(2).endMs());
        assertArrayEquals(video.rows().get(2).vector(), rows.get(2).vector(), 1e-6f);

        float[] frame = video.rows().get(2).vector();
        List<SearchHit> segmentsOnly = store.search(SearchRequest.of(v1.alias(), "acme", frame, 10).withScope(SegmentScope.SEGMENTS));
        assertTrue(segmentsOnly.stream().allMatch(h -> h.segment() >= 0));
        assertEquals("vid-1#1", segmentsOnly.get(0).pk());
        List<SearchHit> docs = store.search(SearchRequest.of(v1.alias(), "acme", frame, 10).withModalities(Set.of("DOCUMENT")));
        assertEquals(List.of("doc-1"), docs.stream().map(SearchHit::mediaId).toList());
        assertEquals(4, store.count(v1.collection(), RowFilter.tenant("acme").andModality("VIDEO")));
        assertEquals(2, store.count(v1.collection(), RowFilter.tenant("acme").andScope(SegmentScope.WHOLE_ITEMS)));
    }

    @Test
    void searchesNeverReturnAnotherTenantsRowsEvenWithInjectionAttempts() {
        // Same vectors in both tenants, so a missing tenant filter would show at once.
        MediaItem a = item("shared-a", "A", "IMAGE", 0, Map.of());
        MediaItem b = new MediaItem("shared-b", "B", List.of(new VectorRow("shared-b", "B", "IMAGE", -1, null, null,
                a.rows().get(0).vector(), Map.of())));
        store.replaceItems(v1.collection(), List.of(a, b));
        float[] q = a.rows().get(0).vector();

        assertEquals(List.of("A"), tenants(store.search(SearchRequest.of(v1.alias(), "A", q, 10))));
        assertEquals(List.of("B"), tenants(store.search(SearchRequest.of(v1.alias(), "B", q, 10))));

        for (String hostileTenant : List.of("A\" || tenant == \"B", "A\\\" || tenant == \\\"B", "A\") || (tenant != \"",
                "A' || tenant == 'B", "A\" or tenant == \"B", "B\" && false || true || \"")) {
            assertEquals(List.of(), store.search(SearchRequest.of(v1.alias(), hostileTenant, q, 10)),
                    "a hostile tenant value is one literal that matches no tenant: " + hostileTenant);
            assertEquals(0, store.count(v1.alias(), RowFilter.tenant(hostileTenant)));
            assertEquals(Optional.empty(), store.wholeItemVector(v1.alias(), hostileTenant, "shared-b"));
            assertEquals(0, store.deleteItem(v1.collection(), hostileTenant, "shared-b"));
        }
        for (String hostileModality : List.of("IMAGE\"] || tenant == \"B", "IMAGE\") || (tenant == \"B")) {
            List<SearchHit> hits = store.search(SearchRequest.of(v1.alias(), "A", q, 10).withModalities(Set.of(hostileModality)));
            assertEquals(List.of(), hits, "a hostile modality value widens nothing: " + hostileModality);
        }
        assertEquals(Optional.empty(), store.wholeItemVector(v1.alias(), "A", "shared-b"), "B's item is not A's");
        assertEquals(1, store.count(v1.collection(), RowFilter.tenant("B")), "B's row survived every attempt");
    }

    @Test
    void identifiersWithQuotesAndBackslashesRoundTrip() {
        String tenant = "t\"en\\ant'1";
        String mediaId = "media \"quoted\" \\ back'slash";
        MediaItem odd = item(mediaId, tenant, "TEXT", 0, Map.of("k\"ey", "v\\al"));
        store.replaceItems(v1.collection(), List.of(odd));

        List<SearchHit> hits = store.search(SearchRequest.of(v1.alias(), tenant, odd.rows().get(0).vector(), 3));
        assertEquals(mediaId, hits.get(0).mediaId());
        assertEquals(tenant, hits.get(0).tenant());
        assertEquals(Map.of("k\"ey", "v\\al"), hits.get(0).attributes());
        assertEquals(1, store.deleteItem(v1.collection(), tenant, mediaId));
        assertEquals(0, store.count(v1.collection(), RowFilter.tenant(tenant)));
    }

    @Test
    void deleteItemRemovesAllRowsOfTheMediaIdInItsTenantOnly() {
        store.replaceItems(v1.collection(), List.of(item("vid-del", "acme", "VIDEO", 4, Map.of()),
                item("vid-keep", "acme", "VIDEO", 2, Map.of())));
        assertEquals(0, store.deleteItem(v1.collection(), "other", "vid-del"), "another tenant cannot delete it");
        assertEquals(5, store.count(v1.collection(), RowFilter.tenant("acme").andMediaId("vid-del")));

        assertEquals(5, store.deleteItem(v1.collection(), "acme", "vid-del"));
        assertEquals(0, store.count(v1.collection(), RowFilter.all().andMediaId("vid-del")));
        assertEquals(3, store.count(v1.collection(), RowFilter.all().andMediaId("vid-keep")));
        assertEquals(0, store.deleteItem(v1.collection(), "acme", "vid-del"), "a replayed tombstone is a no-op");

        store.replaceItems(v1.collection(), List.of(item("tomb", "acme", "IMAGE", 0, Map.of())));
        assertEquals(1, store.deleteItemInAnyTenant(v1.collection(), "tomb"));
        assertEquals(3, store.count(v1.collection(), RowFilter.all()));
    }

    @Test
    void replacingAnItemWithFewerSegmentsRemovesTheStaleRowsIdempotently() {
        store.replaceItems(v1.collection(), List.of(item("doc-7", "acme", "DOCUMENT", 6, Map.of("title", "old", "draft", "yes"))));
        assertEquals(List.of(-1, 0, 1, 2, 3, 4, 5), segments(store.itemRows(v1.collection(), "acme", "doc-7", false)));

        MediaItem shrunk = item("doc-7", "acme", "DOCUMENT", 2, Map.of("title", "new"));
        WriteResult result = store.replaceItems(v1.collection(), List.of(shrunk));
        assertEquals(3, result.rowsWritten());
        List<StoredRow> rows = store.itemRows(v1.collection(), "acme", "doc-7", true);
        assertEquals(List.of(-1, 0, 1), segments(rows));
        assertEquals(Map.of("title", "new"), rows.get(0).attributes(), "a removed attribute is gone, not merged");
        assertArrayEquals(shrunk.rows().get(0).vector(), rows.get(0).vector(), 1e-6f);

        store.replaceItems(v1.collection(), List.of(shrunk));
        assertEquals(3, store.count(v1.collection(), RowFilter.all().andMediaId("doc-7")), "a replay leaves the same rows");

        MediaItem single = item("doc-7", "acme", "DOCUMENT", 0, Map.of());
        store.replaceItems(v1.collection(), List.of(shrunk, single));
        assertEquals(List.of(-1), segments(store.itemRows(v1.collection(), "acme", "doc-7", false)),
                "within one call the last version of a mediaId wins");
    }

    @Test
    void aBatchOfGrowingShrinkingAndNewItemsEndsWithExactlyTheirRows() {
        store.replaceItems(v1.collection(), List.of(item("grow", "acme", "VIDEO", 1, Map.of()),
                item("shrink", "acme", "VIDEO", 4, Map.of()), item("gone-segments", "other", "DOCUMENT", 2, Map.of())));
        WriteResult result = store.replaceItems(v1.collection(), List.of(item("grow", "acme", "VIDEO", 3, Map.of()),
                item("shrink", "acme", "VIDEO", 1, Map.of()), item("new", "acme", "IMAGE", 0, Map.of()),
                item("gone-segments", "other", "DOCUMENT", 0, Map.of())));
        assertEquals(List.of(-1, 0, 1, 2), segments(store.itemRows(v1.collection(), "acme", "grow", false)));
        assertEquals(List.of(-1, 0), segments(store.itemRows(v1.collection(), "acme", "shrink", false)));
        assertEquals(List.of(-1), segments(store.itemRows(v1.collection(), "acme", "new", false)));
        assertEquals(List.of(-1), segments(store.itemRows(v1.collection(), "other", "gone-segments", false)));
        assertEquals(3 + 2, result.staleDeleted(), "three frames of 'shrink' and two pages of 'gone-segments'");
        assertEquals(4 + 2 + 1 + 1, store.count(v1.collection(), RowFilter.all()));
    }

    @Test
    void aliasFlipsToTheNextVersionAndModelOfFollowsIt() {
        MediaItem old = item("m-1", "acme", "IMAGE", 0, Map.of());
        store.replaceItems(v1.collection(), List.of(old));
        ModelCollection v2 = store.ensureCollection(new ModelSpec(model, 2, DIM));
        assertEquals(Optional.of(v1.collection()), store.resolveAlias(v1.alias()), "creating v2 does not flip the alias");
        MediaItem fresh = item("m-1", "acme", "IMAGE", 0, Map.of());
        store.replaceItems(v2.collection(), List.of(fresh));

        float[] q = fresh.rows().get(0).vector();
        assertEquals(1, store.modelOf(v1.alias()).orElseThrow().model().version());
        assertArrayEquals(old.rows().get(0).vector(), store.wholeItemVector(v1.alias(), "acme", "m-1").orElseThrow(), 1e-6f);

        store.pointAlias(v1.alias(), v2.collection());
        assertEquals(Optional.of(v2.collection()), store.resolveAlias(v1.alias()));
        ModelCollection live = store.modelOf(v1.alias()).orElseThrow();
        assertEquals(new ModelSpec(model, 2, DIM), live.model());
        assertEquals(v2.collection(), live.collection());
        List<SearchHit> hits = store.search(SearchRequest.of(v1.alias(), "acme", q, 1));
        assertEquals(1.0f, hits.get(0).score(), 1e-4f, "the search through the alias now reads v2");
        assertArrayEquals(q, store.wholeItemVector(v1.alias(), "acme", "m-1").orElseThrow(), 1e-6f);

        assertEquals(List.of(1, 2), store.listCollections(model).stream().map(c -> c.model().version()).toList());
        store.pointAlias(v1.alias(), v2.collection());
        store.dropCollection(v1.collection());
        assertEquals(List.of(2), store.listCollections(model).stream().map(c -> c.model().version()).toList());
    }

    @Test
    void badInputFailsWithTypedPermanentErrors() {
        VectorRow wrongDim = VectorRow.whole("x", "acme", "IMAGE", unitVector(random, DIM + 1), Map.of());
        InvalidVectorDataException e = assertThrows(InvalidVectorDataException.class,
                () -> store.upsert(v1.collection(), List.of(wrongDim)));
        assertTrue(e.getMessage().contains("dimension " + (DIM + 1)), e.getMessage());
        assertThrows(InvalidVectorDataException.class,
                () -> store.search(SearchRequest.of(v1.alias(), "acme", unitVector(random, 3), 1)));
        CollectionNotFoundException missing = assertThrows(CollectionNotFoundException.class,
                () -> store.search(SearchRequest.of("no_such_collection_xyz", "acme", unitVector(random, DIM), 1)));
        assertFalse(missing.isTransient());
        assertThrows(CollectionNotFoundException.class,
                () -> store.upsert("no_such_collection_xyz", List.of(VectorRow.whole("x", "a", "IMAGE", unitVector(random, DIM), Map.of()))));
    }

    @Test
    void searchConditionsFilterOnAttributesNumbersAndIndexingTime() {
        WriteResult written = store.replaceItems(v1.collection(), List.of(
                item("red-2019", "acme", "IMAGE", 0, Map.of("color", "red", "year", "2019")),
                item("red-2021", "acme", "IMAGE", 0, Map.of("color", "red", "year", "2021")),
                item("blue-2999", "acme", "IMAGE", 0, Map.of("color", "blue", "year", "2999")),
                item("plain", "acme", "IMAGE", 0, Map.of())));
        float[] q = unitVector(random, DIM);
        SearchRequest all = SearchRequest.of(v1.alias(), "acme", q, 10);

        assertEquals(Set.of("red-2019", "red-2021"), mediaIds(store.search(all.withConditions(
                List.of(new RowCondition.AttributeIn("color", List.of("red")))))));
        // Numerically, not as strings ("2999" > "2021" either way, but "999" would not be): a row without it never matches.
        assertEquals(Set.of("red-2021", "blue-2999"), mediaIds(store.search(all.withConditions(
                List.of(new RowCondition.AttributeRange("year", RowCondition.Range.atLeast(2020)))))));
        assertEquals(Set.of("red-2021"), mediaIds(store.search(all.withConditions(List.of(
                new RowCondition.AttributeIn("color", List.of("red", "green")),
                new RowCondition.AttributeRange("year", new RowCondition.Range(2020, false, 2021, true)))))));
        assertEquals(4, store.search(all.withConditions(List.of(new RowCondition.IndexedAtRange(
                RowCondition.Range.exactly(written.indexedAt()))))).size());
        assertEquals(List.of(), store.search(all.withConditions(List.of(new RowCondition.IndexedAtRange(
                new RowCondition.Range(written.indexedAt(), false, null, false))))));
    }

    @Test
    void passagesComeBackWithHitsAndRows() {
        float[] v = unitVector(random, DIM);
        store.replaceItems(v1.collection(), List.of(new MediaItem("txt-1", "acme", List.of(
                new VectorRow("txt-1", "acme", "TEXT", -1, null, null, v, Map.of(), "river bridge at dawn"),
                new VectorRow("txt-1", "acme", "TEXT", 0, null, null, unitVector(random, DIM), Map.of())))));

        SearchHit hit = store.search(SearchRequest.of(v1.alias(), "acme", v, 1)).get(0);
        assertEquals("river bridge at dawn", hit.passage());
        List<StoredRow> rows = store.itemRows(v1.alias(), "acme", "txt-1", false);
        assertEquals("river bridge at dawn", rows.get(0).passage());
        assertEquals(null, rows.get(1).passage(), "a row without text has no passage");
        assertEquals(null, rows.get(1).vector(), "vectors only when asked for");
    }

    @Test
    void aliasesCanBeDroppedAndCollectionsOfOtherModelsAreNotListed() {
        String other = model + "-extra";
        try {
            ModelCollection extra = store.ensureCollection(new ModelSpec(other, 3, DIM));
            assertEquals(List.of(v1), store.listCollections(model), "a model whose name extends this one's is another model");
            assertEquals(List.of(extra), store.listCollections(other));

            store.dropAlias(v1.alias());
            assertEquals(Optional.empty(), store.resolveAlias(v1.alias()));
            assertEquals(Optional.empty(), store.modelOf(v1.alias()));
            assertEquals(Optional.of(v1), store.modelOf(v1.collection()));
            store.dropAlias(v1.alias());
            assertThrows(CollectionNotFoundException.class, () -> store.count(v1.alias(), RowFilter.all()));
            assertEquals(0, store.count(v1.collection(), RowFilter.all()), "the collection is still there");
        } finally {
            MilvusTestSupport.dropModel(store, other);
        }
    }

    /** Full Milvus refuses to drop a collection an alias points at and Milvus Lite does not: callers drop the alias first. */
    @Test
    void aCollectionIsDroppedOnceItsAliasIs() {
        store.replaceItems(v1.collection(), List.of(item("kept", "acme", "IMAGE", 0, Map.of())));
        assertEquals(1, store.count(v1.alias(), RowFilter.all()));

        store.dropAlias(v1.alias());
        store.dropCollection(v1.collection());
        assertEquals(Optional.empty(), store.modelOf(v1.collection()));
        assertEquals(List.of(), store.listCollections(model));
        store.dropCollection(v1.collection());
    }

    @Test
    void readsAndDeletesOfAMissingCollectionFailAsNotFound() {
        String missing = v1.collection() + "_missing";
        assertThrows(CollectionNotFoundException.class, () -> store.count(missing, RowFilter.all()));
        assertThrows(CollectionNotFoundException.class, () -> store.itemRows(missing, "acme", "x", false));
        assertThrows(CollectionNotFoundException.class, () -> store.wholeItemVector(missing, "acme", "x"));
        assertThrows(CollectionNotFoundException.class, () -> store.deleteItem(missing, "acme", "x"));
        assertThrows(CollectionNotFoundException.class, () -> store.deleteItemInAnyTenant(missing, "x"));
        assertThrows(CollectionNotFoundException.class, () -> store.replaceItems(missing,
                List.of(item("x", "acme", "IMAGE", 0, Map.of()))));
    }

    protected static Set<String> mediaIds(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::mediaId).collect(java.util.stream.Collectors.toSet());
    }

    protected static List<String> tenants(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::tenant).distinct().toList();
    }

    /** An item with a whole-item row and {@code segments} one-second segments. */
    protected MediaItem item(String mediaId, String tenant, String modality, int segments, Map<String, String> attributes) {
        List<VectorRow> rows = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        rows.add(new VectorRow(mediaId, tenant, modality, -1, segments > 0 && modality.equals("VIDEO") ? 0L : null,
                segments > 0 && modality.equals("VIDEO") ? segments * 1000L : null, unitVector(random, DIM), attributes));
        for (int s = 0; s < segments; s++) {
            seen.add(s);
            boolean timed = modality.equals("VIDEO");
            rows.add(new VectorRow(mediaId, tenant, modality, s, timed ? s * 1000L : null, timed ? (s + 1) * 1000L : null,
                    unitVector(random, DIM), attributes));
        }
        return new MediaItem(mediaId, tenant, rows);
    }
}
