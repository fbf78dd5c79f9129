package io.tessera.vectorstore;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static io.tessera.vectorstore.MilvusTestSupport.unitVector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Write throughput and search latency of the store against the stack's Milvus. Off by default (it takes ~1 min);
 * run with {@code ./mvnw -B -pl services/vector-store verify -Dtessera.bench=true -Dit.test=VectorStoreBenchmarkIT}.
 * Prints one machine-readable line per case.
 */
class VectorStoreBenchmarkIT {

    private static final int DIM = 256;
    private static final int ROWS = 10_000;
    private static final int BATCH = 500;
    private static final int QUERIES = 500;

    @Test
    void upsertThroughputAndSearchLatencyAt10kRows() {
        assumeTrue(Boolean.getBoolean("tessera.bench"), "benchmark: enable with -Dtessera.bench=true");
        String uri = MilvusTestSupport.milvusUri();
        Random random = new Random(99);
        List<List<VectorRow>> batches = new ArrayList<>();
        for (int b = 0; b < ROWS / BATCH; b++) {
            List<VectorRow> batch = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                String id = "b" + b + "-" + i;
                batch.add(VectorRow.whole(id, "tenant-" + (i % 4), "IMAGE", unitVector(random, DIM), Map.of("batch", Integer.toString(b))));
            }
            batches.add(batch);
        }

        for (boolean flush : new boolean[]{true, false}) {
            String model = MilvusTestSupport.uniqueModel("bench");
            try (VectorStore store = VectorStore.connect(MilvusTestSupport.config(uri).withWriteBatchSize(BATCH).withFlushAfterWrites(flush))) {
                try {
                    ModelCollection c = store.ensureCollection(new ModelSpec(model, 1, DIM));
                    long t0 = System.nanoTime();
                    for (List<VectorRow> batch : batches) {
                        store.upsert(c.collection(), batch);
                    }
                    double upsertSeconds = (System.nanoTime() - t0) / 1e9;
                    store.flush(c.collection());
                    assertEquals(ROWS, store.count(c.collection(), RowFilter.all()));
                    line("vectorstore upsert rows=%d dim=%d batch=%d flush_after_each_call=%s rows_per_s=%.0f seconds=%.2f",
                            ROWS, DIM, BATCH, flush, ROWS / upsertSeconds, upsertSeconds);

                    // What indexers do: replaceItems (upsert + stale-row check + flush) of new items, 500 a call.
                    List<List<MediaItem>> fresh = new ArrayList<>();
                    for (int b = 0; b < 4; b++) {
                        int batch = b;
                        fresh.add(batches.get(b).stream().map(r -> new MediaItem("new-" + r.mediaId(), r.tenant(),
                                List.of(VectorRow.whole("new-" + r.mediaId(), r.tenant(), r.modality(), r.vector(), Map.of("b", "" + batch)))))
                                .toList());
                    }
                    long t1 = System.nanoTime();
                    for (List<MediaItem> items : fresh) {
                        store.replaceItems(c.collection(), items);
                    }
                    double replaceSeconds = (System.nanoTime() - t1) / 1e9;
                    line("vectorstore replace_items_new rows=%d dim=%d batch=%d flush_after_each_call=%s rows_per_s=%.0f",
                            4 * BATCH, DIM, BATCH, flush, 4 * BATCH / replaceSeconds);

                    // A re-index: the same items again (Milvus Lite merges each upsert with the stored row).
                    long t2 = System.nanoTime();
                    for (List<MediaItem> items : fresh) {
                        store.replaceItems(c.collection(), items);
                    }
                    double reindexSeconds = (System.nanoTime() - t2) / 1e9;
                    line("vectorstore replace_items_existing rows=%d dim=%d batch=%d flush_after_each_call=%s rows_per_s=%.0f",
                            4 * BATCH, DIM, BATCH, flush, 4 * BATCH / reindexSeconds);
                    assertEquals(ROWS + 4 * BATCH, store.count(c.collection(), RowFilter.all()));

                    if (flush) {
                        search(store, c, batches, random);
                    }
                } finally {
                    MilvusTestSupport.dropModel(store, model);
                }
            }
        }
    }

    private static void search(VectorStore store, ModelCollection c, List<List<VectorRow>> batches, Random random) {
        for (int i = 0; i < 50; i++) {
            store.search(query(c, batches, random));
        }
        double[] ms = new double[QUERIES];
        int selfFirst = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < QUERIES; i++) {
            VectorRow target = batches.get(random.nextInt(batches.size())).get(random.nextInt(BATCH));
            long s = System.nanoTime();
            List<SearchHit> hits = store.search(SearchRequest.of(c.alias(), target.tenant(), target.vector(), 10));
            ms[i] = (System.nanoTime() - s) / 1e6;
            if (!hits.isEmpty() && hits.get(0).mediaId().equals(target.mediaId())) {
                selfFirst++;
            }
        }
        double total = (System.nanoTime() - t0) / 1e9;
        Arrays.sort(ms);
        line("vectorstore search vectors=%d dim=%d topK=10 queries=%d p50_ms=%.1f p99_ms=%.1f qps=%.0f self_first=%d/%d",
                ROWS, DIM, QUERIES, ms[QUERIES / 2], ms[(int) Math.ceil(QUERIES * 0.99) - 1], QUERIES / total, selfFirst, QUERIES);
        // The index is approximate (HNSW under AUTOINDEX): allow a rare miss, not a broken search.
        assertTrue(selfFirst >= QUERIES * 0.99, "stored vectors find themselves first: " + selfFirst + "/" + QUERIES);
    }

    private static SearchRequest query(ModelCollection c, List<List<VectorRow>> batches, Random random) {
        VectorRow target = batches.get(random.nextInt(batches.size())).get(random.nextInt(BATCH));
        return SearchRequest.of(c.alias(), target.tenant(), target.vector(), 10);
    }

    private static void line(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }
}
