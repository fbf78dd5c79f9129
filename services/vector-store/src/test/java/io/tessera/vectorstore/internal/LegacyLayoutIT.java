package io.tessera.vectorstore.internal;

import com.google.gson.JsonObject;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.vector.request.UpsertReq;
import io.tessera.testing.LocalStack;
import io.tessera.vectorstore.Consistency;
import io.tessera.vectorstore.IndexType;
import io.tessera.vectorstore.MediaItem;
import io.tessera.vectorstore.ModelCollection;
import io.tessera.vectorstore.ModelSpec;
import io.tessera.vectorstore.SearchHit;
import io.tessera.vectorstore.SearchRequest;
import io.tessera.vectorstore.StoredRow;
import io.tessera.vectorstore.VectorFields;
import io.tessera.vectorstore.VectorRow;
import io.tessera.vectorstore.VectorStore;
import io.tessera.vectorstore.VectorStoreConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Passages against the real Milvus: a collection of today's layout keeps them in its VarChar field, and a collection
 * made before the field existed (layout 1) still opens, searches and reads, with its old rows passage-less and new
 * rows' passages kept in the dynamic field.
 */
class LegacyLayoutIT {

    private static final int DIM = 8;
    private final String model = "it-passage-" + UUID.randomUUID().toString().substring(0, 8);
    private final String uri = milvusUri();
    private final VectorStore store = VectorStore.connect(VectorStoreConfig.defaults(uri)
            .withSearchConsistency(Consistency.STRONG));

    private static String milvusUri() {
        String uri = System.getProperty("tessera.milvus.uri", System.getenv("TESSERA_MILVUS_URI"));
        return uri == null || uri.isBlank() ? LocalStack.endpoints().milvusUri() : uri;
    }

    @AfterEach
    void tearDown() {
        store.dropAlias(store.naming().alias(model));
        store.listCollections(model).forEach(c -> store.dropCollection(c.collection()));
        store.close();
    }

    @Test
    void aNewCollectionStoresPassagesInItsField() {
        ModelCollection c = store.ensureCollection(new ModelSpec(model, 1, DIM));
        String longText = "é".repeat(VectorFields.MAX_PASSAGE_BYTES);
        store.replaceItems(c.collection(), List.of(new MediaItem("t1", "acme", List.of(
                new VectorRow("t1", "acme", "TEXT", -1, null, null, unit(0), Map.of(), "the whole text"),
                new VectorRow("t1", "acme", "TEXT", 0, null, null, unit(1), Map.of(), "first chunk"),
                new VectorRow("t1", "acme", "TEXT", 1, null, null, unit(2), Map.of(), longText)))));
        List<StoredRow> rows = store.itemRows(c.alias(), "acme", "t1", false);
        assertEquals("the whole text", rows.get(0).passage());
        assertEquals("first chunk", rows.get(1).passage());
        assertEquals(VectorFields.MAX_PASSAGE_BYTES / 2, rows.get(2).passage().length(), "cut at a character boundary");
        SearchHit hit = store.search(SearchRequest.of(c.alias(), "acme", unit(1), 1)).getFirst();
        assertEquals("first chunk", hit.passage());
    }

    @Test
    void aCollectionOfLayoutOneStillOpensSearchesAndTakesPassages() {
        ModelSpec spec = new ModelSpec(model, 1, DIM);
        String name = store.naming().collection(model, 1);
        MilvusClientV2 client = new MilvusClientV2(ConnectConfig.builder().uri(uri).build());
        try {
            client.createCollection(CollectionLayout.createRequest(name, spec, IndexType.AUTOINDEX, false));
            // A row as the previous version wrote it: no passage at all.
            JsonObject old = RowCodec.toJson(VectorRow.whole("old", "acme", "IMAGE", unit(3), Map.of("k", "v")), 1L);
            old.remove(VectorFields.PASSAGE);
            client.upsert(UpsertReq.builder().collectionName(name).data(List.of(old)).build());
        } finally {
            client.close();
        }
        ModelCollection c = store.ensureCollection(spec);
        store.replaceItems(c.collection(), List.of(new MediaItem("new", "acme", List.of(
                new VectorRow("new", "acme", "TEXT", -1, null, null, unit(4), Map.of(), "written today")))));

        SearchHit oldHit = store.search(SearchRequest.of(c.alias(), "acme", unit(3), 1)).getFirst();
        assertEquals("old", oldHit.mediaId());
        assertEquals(Map.of("k", "v"), oldHit.attributes());
        assertNull(oldHit.passage());
        SearchHit newHit = store.search(SearchRequest.of(c.alias(), "acme", unit(4), 1)).getFirst();
        assertEquals("new", newHit.mediaId());
        assertEquals("written today", newHit.passage());
        assertEquals("written today", store.itemRows(c.collection(), "acme", "new", false).getFirst().passage());
        assertNull(store.itemRows(c.collection(), "acme", "old", true).getFirst().passage());
    }

    private static float[] unit(int axis) {
        float[] v = new float[DIM];
        v[axis] = 1;
        return v;
    }
}
