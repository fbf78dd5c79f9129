package io.tessera.vectorstore;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static io.tessera.vectorstore.MilvusTestSupport.unitVector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 2, item 4, Milvus part: the stack's Milvus is real. Through the Tessera library (so the Milvus Lite guards
 * it applies are exercised too: index inside createCollection, full-row upserts, flush after writes, load on use):
 * a collection with a VarChar primary key, a partition key and a COSINE index; vectors upserted, searched back, and
 * the collection reached through an alias.
 */
class MilvusSmokeIT {

    @Test
    void collectionWithVarCharPkPartitionKeyAndCosineIndexIsSearchableThroughItsAlias() {
        String model = MilvusTestSupport.uniqueModel("smoke");
        try (VectorStore store = VectorStore.connect(MilvusTestSupport.config(MilvusTestSupport.milvusUri()))) {
            try {
                ModelCollection c = store.ensureCollection(new ModelSpec(model, 1, 64));
                assertEquals(Optional.of(c.collection()), store.resolveAlias(c.alias()));

                Random random = new Random(1);
                List<VectorRow> rows = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    rows.add(VectorRow.whole("smoke-" + i, i % 2 == 0 ? "even" : "odd", "TEXT", unitVector(random, 64),
                            Map.of("i", Integer.toString(i))));
                }
                assertEquals(100, store.upsert(c.collection(), rows).rowsWritten());
                assertEquals(100, store.count(c.alias(), RowFilter.all()));

                VectorRow probe = rows.get(42);
                List<SearchHit> hits = store.search(SearchRequest.of(c.alias(), "even", probe.vector(), 5));
                assertEquals("smoke-42", hits.get(0).mediaId());
                assertEquals("smoke-42#-1", hits.get(0).pk());
                assertEquals(1.0f, hits.get(0).score(), 1e-4f, "COSINE of a vector with itself");
                assertEquals(Map.of("i", "42"), hits.get(0).attributes());
                assertTrue(hits.stream().allMatch(h -> h.tenant().equals("even")), "partition key filter applied");
                assertEquals(new ModelSpec(model, 1, 64), store.modelOf(c.alias()).orElseThrow().model());
            } finally {
                MilvusTestSupport.dropModel(store, model);
            }
        }
    }
}
