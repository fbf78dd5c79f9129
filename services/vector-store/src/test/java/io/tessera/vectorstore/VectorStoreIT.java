package io.tessera.vectorstore;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vector store against the real Milvus of the local stack: the shared {@link VectorStoreContract} plus what
 * only a real server shows (concurrent writers, reachability).
 */
class VectorStoreIT extends VectorStoreContract {

    @Override
    protected VectorStore createStore() {
        return VectorStore.connect(MilvusTestSupport.config(MilvusTestSupport.milvusUri()));
    }

    @Test
    void concurrentWritersOfOneStoreLoseNothing() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<WriteResult>> futures = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int thread = t;
                futures.add(pool.submit(() -> store.replaceItems(v1.collection(), IntStream.range(0, 25)
                        .mapToObj(i -> item("w" + thread + "-" + i, "acme", "TEXT", 2, Map.of())).toList())));
            }
            for (Future<WriteResult> f : futures) {
                assertEquals(75, f.get().rowsWritten());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(6 * 25 * 3, store.count(v1.collection(), RowFilter.tenant("acme")));
    }

    @Test
    void isReachableReportsTheLiveServer() {
        assertTrue(store.isReachable());
    }
}
