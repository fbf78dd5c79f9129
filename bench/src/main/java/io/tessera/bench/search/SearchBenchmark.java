package io.tessera.bench.search;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.RuntimeConfig;
import io.tessera.embedding.model.DefaultModels;
import io.tessera.embedding.model.LocalModelStore;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.search.LiveModel;
import io.tessera.search.ModalityFusion;
import io.tessera.search.QueryImageDecoder;
import io.tessera.search.QueryInput;
import io.tessera.search.SearchEngine;
import io.tessera.search.SearchSpec;
import io.tessera.client.api.SearchResponse;
import io.tessera.vectorstore.CollectionNaming;
import io.tessera.vectorstore.IndexType;
import io.tessera.vectorstore.ModelCollection;
import io.tessera.vectorstore.ModelSpec;
import io.tessera.vectorstore.VectorRow;
import io.tessera.vectorstore.VectorStore;
import io.tessera.vectorstore.VectorStoreConfig;
import io.tessera.vectorstore.VectorStoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./tessera bench search}: latency of a text search as search-api runs it (text encode with the live model
 * version + Milvus search within a tenant + grouping, {@link SearchEngine}, without HTTP) over collections of
 * synthetic L2-normalised vectors. Prints one line per size:
 * {@code search vectors=<n> p50_ms=<ms> p99_ms=<ms> qps=<q>} (qps: one client, queries back to back).
 *
 * <p>Each size gets its own collection under a unique prefix, filled with batched upserts, searched, and dropped.
 * The synthetic rows mimic the real layout: whole-item rows plus segment rows of videos and documents, spread over
 * several tenants (the search is filtered on one, as in production).
 *
 * <p>Options: {@code --milvus-uri URI} (default the local stack's), {@code --sizes 1000,100000},
 * {@code --queries N} (default 300), {@code --warmup N} (default 30), {@code --top-k K} (default 10),
 * {@code --index AUTOINDEX|HNSW|FLAT|IVF_FLAT}, {@code --max-seconds S} (default 60: a size stops measuring after
 * this long once {@value #MIN_QUERIES} queries ran; Milvus Lite scans every row in Python per search, about a second
 * at 100,000 rows, so 300 queries there would take five minutes).
 */
public final class SearchBenchmark {

    private static final String TENANT = "bench";
    /** Measured queries per size at least, whatever the time budget. */
    private static final int MIN_QUERIES = 20;
    private static final List<String> OTHER_TENANTS = List.of("bench-a", "bench-b", "bench-c");
    private static final List<String> WORDS = List.of("red", "green", "blue", "yellow", "orange", "purple", "circle",
            "square", "triangle", "star", "small", "large", "top", "bottom", "left", "right", "striped", "moving",
            "chart", "page", "report", "bright", "dark", "two", "three");

    private SearchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String milvusUri = VectorStoreConfig.DEFAULT_URI;
        List<Integer> sizes = List.of(1_000, 100_000);
        int queries = 300;
        int warmup = 30;
        int topK = 10;
        IndexType indexType = IndexType.AUTOINDEX;
        double maxSeconds = 60;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--milvus-uri" -> milvusUri = args[++i];
                case "--sizes" -> sizes = Arrays.stream(args[++i].split(",")).map(String::trim).map(Integer::parseInt).toList();
                case "--queries" -> queries = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--top-k" -> topK = Integer.parseInt(args[++i]);
                case "--index" -> indexType = IndexType.valueOf(args[++i].toUpperCase(Locale.ROOT));
                case "--max-seconds" -> maxSeconds = Double.parseDouble(args[++i]);
                default -> {
                    System.err.println("unknown option " + args[i] + "; options: --milvus-uri URI --sizes 1000,100000"
                            + " --queries N --warmup N --top-k K --index AUTOINDEX|HNSW|FLAT|IVF_FLAT --max-seconds S");
                    System.exit(2);
                }
            }
        }
        LocalModelStore models = DefaultModels.defaultStore();
        ModelDirectory model = DefaultModels.tesseraTiny();
        CollectionNaming naming = new CollectionNaming("bench_search_" + Long.toString(System.nanoTime(), 36) + "_");
        VectorStoreConfig config = VectorStoreConfig.defaults(milvusUri).withNaming(naming).withIndexType(indexType)
                .withWriteBatchSize(2_000).withTimeouts(Duration.ofSeconds(10), Duration.ofMinutes(2));
        try (VectorStore store = VectorStore.connect(config);
             EmbeddingRuntime runtime = EmbeddingRuntime.start(model, RuntimeConfig.defaults());
             QueryImageDecoder images = new QueryImageDecoder(10 << 20, 40_000_000, 224)) {
            int dimension = runtime.manifest().dimension();
            ModelSpec spec = new ModelSpec(model.ref().name(), model.ref().version(), dimension);
            LiveModel live = new LiveModel(store, naming.alias(spec.name()), models, runtime, Duration.ofSeconds(2),
                    Duration.ofSeconds(30));
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            SearchEngine engine = new SearchEngine(store, live, images, 5, 3, ModalityFusion.ZSCORE, meters);
            for (int size : sizes) {
                ModelCollection collection = store.ensureCollection(spec);
                try {
                    long t0 = System.nanoTime();
                    fill(store, collection.collection(), size, dimension);
                    System.err.printf(Locale.ROOT, "bench: %d vectors upserted into %s in %.1f s%n", size,
                            collection.collection(), (System.nanoTime() - t0) / 1e9);
                    live.invalidate();
                    run(engine, meters, size, queries, warmup, topK, maxSeconds);
                } finally {
                    drop(store, collection);
                }
            }
        }
    }

    /**
     * Drops the benchmark's collection. Milvus Lite takes long to drop a large collection and the call can fail on
     * the client while the server finishes it, so failures are retried after checking whether it is gone.
     */
    private static void drop(VectorStore store, ModelCollection collection) {
        for (int attempt = 1; attempt <= 5; attempt++) {
            try {
                store.dropAlias(collection.alias());
                store.dropCollection(collection.collection());
                return;
            } catch (VectorStoreException e) {
                System.err.println("bench: dropping " + collection.collection() + " failed (attempt " + attempt + "): "
                        + e.getMessage());
                try {
                    Thread.sleep(5_000L * attempt);
                    if (store.modelOf(collection.collection()).isEmpty()) {
                        return;
                    }
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (VectorStoreException again) {
                    // still unreachable: try again
                }
            }
        }
        System.err.println("bench: " + collection.collection() + " was left in Milvus; drop it by hand");
    }

    private static void run(SearchEngine engine, SimpleMeterRegistry meters, int size, int queries, int warmup,
                            int topK, double maxSeconds) {
        Random random = new Random(42);
        for (int i = 0; i < warmup; i++) {
            check(engine.search(spec(random, topK)));
        }
        meters.clear();
        long[] all = new long[queries];
        int n = 0;
        long start = System.nanoTime();
        long budget = (long) (maxSeconds * 1e9);
        while (n < queries && (n < MIN_QUERIES || System.nanoTime() - start < budget)) {
            SearchSpec spec = spec(random, topK);
            long t0 = System.nanoTime();
            check(engine.search(spec));
            all[n++] = System.nanoTime() - t0;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] nanos = Arrays.copyOf(all, n);
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "search vectors=%d p50_ms=%.2f p99_ms=%.2f qps=%.1f%n", size,
                percentile(nanos, 0.50) / 1e6, percentile(nanos, 0.99) / 1e6, n / seconds);
        System.out.flush();
        // Where the time goes, on stderr so that stdout stays one machine-readable line per size.
        System.err.printf(Locale.ROOT, "bench: vectors=%d queries=%d mean encode_ms=%.2f milvus_ms=%.2f (%d Milvus calls)%n",
                size, n, meanMillis(meters, "tessera.search.encode"), meanMillis(meters, "tessera.search.milvus"),
                meters.find("tessera.search.milvus").timer() == null ? 0
                        : meters.find("tessera.search.milvus").timer().count());
    }

    private static double meanMillis(SimpleMeterRegistry meters, String name) {
        Timer t = meters.find(name).timer();
        return t == null ? Double.NaN : t.mean(TimeUnit.MILLISECONDS);
    }

    private static void check(SearchResponse response) {
        // A benchmark of searches that find nothing would measure something else.
        if (response.model() == null || response.hits().isEmpty()) {
            throw new IllegalStateException("the benchmark search found nothing: " + response);
        }
    }

    private static SearchSpec spec(Random random, int topK) {
        int words = 2 + random.nextInt(4);
        StringBuilder text = new StringBuilder("a");
        for (int w = 0; w < words; w++) {
            text.append(' ').append(WORDS.get(random.nextInt(WORDS.size())));
        }
        return new SearchSpec(TENANT, new QueryInput.Text(text.toString(), null, null), Set.of(), topK, false);
    }

    private static double percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /**
     * {@code size} rows in the real layout: 70% images (one row each), videos of 1+8 rows (frames 1 s apart),
     * documents of 1+4 pages, spread over four tenants, one of which is searched.
     */
    static void fill(VectorStore store, String collection, int size, int dimension) {
        SplittableRandom random = new SplittableRandom(size);
        List<VectorRow> rows = new ArrayList<>(size);
        int item = 0;
        while (rows.size() < size) {
            String tenant = item % 4 == 0 ? TENANT : OTHER_TENANTS.get(item % 3);
            String mediaId = "bench-" + item;
            double kind = random.nextDouble();
            int left = size - rows.size();
            if (kind < 0.15 && left >= 9) {
                rows.add(row(mediaId, tenant, "VIDEO", -1, null, null, random, dimension));
                for (int f = 0; f < 8; f++) {
                    rows.add(row(mediaId, tenant, "VIDEO", f, f * 1000L, (f + 1) * 1000L, random, dimension));
                }
            } else if (kind < 0.30 && left >= 5) {
                rows.add(row(mediaId, tenant, "DOCUMENT", -1, null, null, random, dimension));
                for (int p = 0; p < 4; p++) {
                    rows.add(row(mediaId, tenant, "DOCUMENT", p, null, null, random, dimension));
                }
            } else {
                rows.add(row(mediaId, tenant, "IMAGE", -1, null, null, random, dimension));
            }
            item++;
        }
        store.upsert(collection, rows);
    }

    private static VectorRow row(String mediaId, String tenant, String modality, int segment, Long startMs, Long endMs,
                                 SplittableRandom random, int dimension) {
        float[] v = new float[dimension];
        double norm = 0;
        for (int i = 0; i < dimension; i++) {
            // Gaussian components give directions uniform on the sphere.
            double g = gaussian(random);
            v[i] = (float) g;
            norm += g * g;
        }
        float inv = (float) (1.0 / Math.sqrt(norm));
        for (int i = 0; i < dimension; i++) {
            v[i] *= inv;
        }
        return new VectorRow(mediaId, tenant, modality, segment, startMs, endMs, v, Map.of("synthetic", "true"));
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1.0 - r.nextDouble();
        double w = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w);
    }
}
