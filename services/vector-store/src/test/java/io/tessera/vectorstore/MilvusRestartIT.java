package io.tessera.vectorstore;

import io.tessera.retry.RetryPolicy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.tessera.vectorstore.MilvusTestSupport.unitVector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Milvus going away and coming back, on a private Milvus Lite (never the shared one): the same store object keeps
 * working after a restart, flushed writes survive a kill -9, and the outage surfaces as a transient failure.
 */
class MilvusRestartIT {

    private static final int DIM = 16;

    @Test
    void storeSurvivesAnUncleanMilvusRestartWithoutLosingFlushedRows(@TempDir Path dir) throws Exception {
        Random random = new Random(7);
        try (OwnMilvusLite milvus = OwnMilvusLite.create(dir)) {
            VectorStoreConfig config = MilvusTestSupport.config(milvus.uri())
                    .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5))
                    .withRetryPolicy(RetryPolicy.bounded(40, Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(90)));
            VectorStoreConfig impatient = config.withRetryPolicy(RetryPolicy.none());
            ModelSpec spec = new ModelSpec("restart-model", 1, DIM);

            try (VectorStore store = VectorStore.connect(config); VectorStore probe = VectorStore.connect(impatient)) {
                // Created while Milvus is down: fails transiently, works once Milvus is up.
                TransientVectorStoreException down = assertThrows(TransientVectorStoreException.class,
                        () -> probe.ensureCollection(spec));
                assertTrue(down.isTransient());
                assertFalse(probe.isReachable());

                milvus.start();
                ModelCollection c = store.ensureCollection(spec);
                List<MediaItem> items = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    String id = "r-" + i;
                    items.add(new MediaItem(id, "acme", List.of(VectorRow.whole(id, "acme", "IMAGE", unitVector(random, DIM), Map.of()))));
                }
                store.replaceItems(c.collection(), items);
                assertEquals(200, store.count(c.alias(), RowFilter.tenant("acme")));

                milvus.kill();
                TransientVectorStoreException outage = assertThrows(TransientVectorStoreException.class,
                        () -> probe.search(SearchRequest.of(c.alias(), "acme", unitVector(random, DIM), 3)));
                assertTrue(outage.getMessage().contains("unreachable") || outage.getMessage().contains("in time"),
                        outage.getMessage());
                assertFalse(probe.isReachable());

                milvus.start();
                // The same store object: it reconnects and reloads the collection that the restart released.
                assertEquals(200, store.count(c.alias(), RowFilter.tenant("acme")), "flushed rows survive kill -9");
                float[] own = items.get(17).rows().get(0).vector();
                List<SearchHit> hits = store.search(SearchRequest.of(c.alias(), "acme", own, 3));
                assertEquals("r-17", hits.get(0).mediaId());
                assertEquals(1.0f, hits.get(0).score(), 1e-4f);
                assertEquals(new ModelSpec("restart-model", 1, DIM), store.modelOf(c.alias()).orElseThrow().model());

                store.replaceItems(c.collection(), List.of(new MediaItem("after", "acme",
                        List.of(VectorRow.whole("after", "acme", "IMAGE", unitVector(random, DIM), Map.of())))));
                assertEquals(201, store.count(c.collection(), RowFilter.all()));
                assertTrue(probe.isReachable());
            }
        }
    }

    /**
     * Milvus Lite writes index sidecars in place; a kill -9 while it writes one used to leave the collection unloadable
     * ("No data left in file"). The stack's wrapper rebuilds an unreadable sidecar from its segment.
     */
    @Test
    void truncatedIndexSidecarIsRebuiltOnRestart(@TempDir Path dir) throws Exception {
        Random random = new Random(11);
        try (OwnMilvusLite milvus = OwnMilvusLite.create(dir)) {
            VectorStoreConfig config = MilvusTestSupport.config(milvus.uri())
                    .withRetryPolicy(RetryPolicy.bounded(40, Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(90)));
            ModelSpec spec = new ModelSpec("sidecar-model", 1, DIM);
            milvus.start();
            List<MediaItem> items = new ArrayList<>();
            try (VectorStore store = VectorStore.connect(config)) {
                ModelCollection c = store.ensureCollection(spec);
                for (int i = 0; i < 50; i++) {
                    String id = "s-" + i;
                    items.add(new MediaItem(id, "acme", List.of(VectorRow.whole(id, "acme", "IMAGE", unitVector(random, DIM), Map.of()))));
                }
                store.replaceItems(c.collection(), items);
                assertEquals(50, store.count(c.alias(), RowFilter.tenant("acme")));
            }
            milvus.close();

            List<Path> sidecars;
            try (var files = Files.walk(milvus.dataDir())) {
                sidecars = files.filter(f -> f.toString().endsWith(".idx") || f.toString().endsWith(".sidx")).toList();
            }
            assertFalse(sidecars.isEmpty(), "Milvus Lite wrote no index sidecar under " + milvus.dataDir());
            for (Path sidecar : sidecars) {
                Files.write(sidecar, new byte[0]);
            }

            milvus.start();
            try (VectorStore store = VectorStore.connect(config)) {
                String alias = store.ensureCollection(spec).alias();
                assertEquals(50, store.count(alias, RowFilter.tenant("acme")));
                List<SearchHit> hits = store.search(SearchRequest.of(alias, "acme", items.get(9).rows().get(0).vector(), 3));
                assertEquals("s-9", hits.get(0).mediaId());
            }
        }
    }
}
