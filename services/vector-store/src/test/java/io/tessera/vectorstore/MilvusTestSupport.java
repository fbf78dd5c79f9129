package io.tessera.vectorstore;

import io.tessera.testing.LocalStack;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/** Shared helpers of the integration tests: where Milvus is, unique names, vectors. */
final class MilvusTestSupport {

    /**
     * The Milvus of the local stack ({@link LocalStack} reuses a running {@code ./tessera stack} or starts one for
     * the run). -Dtessera.milvus.uri (or TESSERA_MILVUS_URI) points the tests at another Milvus instead.
     */
    static String milvusUri() {
        String uri = System.getProperty("tessera.milvus.uri");
        if (uri == null || uri.isBlank()) {
            uri = System.getenv("TESSERA_MILVUS_URI");
        }
        return uri == null || uri.isBlank() ? LocalStack.endpoints().milvusUri() : uri;
    }

    /** Test config: strongly consistent searches so that the tests also hold on a standalone Milvus. */
    static VectorStoreConfig config(String uri) {
        return VectorStoreConfig.defaults(uri).withSearchConsistency(Consistency.STRONG);
    }

    /** A model name no other test uses, with a '-' so that the sanitising is exercised too. */
    static String uniqueModel(String purpose) {
        return "it-" + purpose + "-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
    }

    static float[] unitVector(Random random, int dimension) {
        float[] v = new float[dimension];
        double norm = 0;
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        float inv = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dimension; i++) {
            v[i] *= inv;
        }
        return v;
    }

    /** Drops the model's alias and all its collections. */
    static void dropModel(VectorStore store, String model) {
        store.dropAlias(store.naming().alias(model));
        for (ModelCollection c : store.listCollections(model)) {
            store.dropCollection(c.collection());
        }
    }

    static List<Integer> segments(List<StoredRow> rows) {
        return rows.stream().map(StoredRow::segment).toList();
    }

    private MilvusTestSupport() {
    }
}
