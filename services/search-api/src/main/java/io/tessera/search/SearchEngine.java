package io.tessera.search;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tessera.embedding.TextInput;
import io.tessera.client.api.ModelInfo;
import io.tessera.client.api.SearchResponse;
import io.tessera.client.api.SearchResult;
import io.tessera.search.internal.HitGrouping;
import io.tessera.vectorstore.CollectionNotFoundException;
import io.tessera.vectorstore.InvalidVectorDataException;
import io.tessera.vectorstore.ModelCollection;
import io.tessera.vectorstore.SearchHit;
import io.tessera.vectorstore.SearchRequest;
import io.tessera.vectorstore.SegmentScope;
import io.tessera.vectorstore.StoredRow;
import io.tessera.vectorstore.TransientVectorStoreException;
import io.tessera.vectorstore.VectorStore;
import io.tessera.vectorstore.VectorStoreException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The search itself, free of HTTP: encode the query with the live model version, search the live collection within
 * the tenant, group rows into items. The service and the benchmark both run exactly this.
 *
 * <h2>Over-fetching</h2>
 * Milvus returns rows, and an item has one whole-item row plus a row per frame, page or chunk, so the top rows of a
 * video can all be its own frames. A grouped search therefore asks Milvus for {@code topK x overFetch} rows
 * (default factor 5) and groups them; when that yields fewer than {@code topK} items although Milvus returned as
 * many rows as asked (more items may lie below), it asks again with four times as many rows, up to Milvus' limit of
 * 16,384 and {@value #MAX_ROUNDS} rounds. A video with more matching frames than that whole window can still hide
 * weaker items; raise the factor for collections of very long videos.
 *
 * <h2>Several modalities at once</h2>
 * Cosines of different modalities are not comparable (see {@link ModalityFusion}), so unless fusion is
 * {@link ModalityFusion#NONE} a search over several modalities searches each one on its own (the same over-fetch and
 * grouping), scores each hit within its modality, and merges the lists by that fused score. The response names the
 * fusion and keeps every hit's raw cosine.
 *
 * <h2>Pages</h2>
 * A page is the slice {@code [offset, offset + topK)} of one ranking: each page runs the search for its first
 * {@code offset + topK + 1} hits (the one beyond says whether {@code nextCursor} is due) and cuts. The ranking does
 * not depend on the page: items are ordered by their best row, which a larger window does not change, and fused
 * searches score every page with the calibration the first page measured (carried in the cursor, see
 * {@link PageCursors}). A cursor is bound to the search and to the collection it started on; after an alias flip
 * it is refused rather than mixing two model versions' rankings. Because every page starts from the top, its depth
 * is bounded by Milvus' window of {@value SearchRequest#MAX_TOP_K} rows per search (offset + limit): a page past it
 * is a 400 that says so.
 *
 * <h2>Filters</h2>
 * Attribute and time conditions go to Milvus with the tenant clause (typed, see {@link SearchFilters}), so they
 * narrow the candidates before the nearest neighbours are taken and a filtered page is as full as an unfiltered one.
 */
public final class SearchEngine {

    /** The service default task for text queries (the model's instruction template for retrieval queries). */
    public static final String DEFAULT_TASK = "search";
    static final int MAX_ROUNDS = 3;
    /** Every stored modality, in the order their searches run. */
    private static final List<String> ALL_MODALITIES = List.of("IMAGE", "VIDEO", "DOCUMENT", "TEXT");

    private final VectorStore store;
    private final LiveModel model;
    private final QueryImageDecoder images;
    private final int overFetch;
    private final int maxSegmentsPerItem;
    private final ModalityFusion fusion;
    private final MeterRegistry meters;
    private final PageCursors cursors;

    public SearchEngine(VectorStore store, LiveModel model, QueryImageDecoder images, int overFetch,
                        int maxSegmentsPerItem, ModalityFusion fusion, MeterRegistry meters) {
        this(store, model, images, overFetch, maxSegmentsPerItem, fusion, meters, PageCursors.withSecret(Optional.empty()));
    }

    public SearchEngine(VectorStore store, LiveModel model, QueryImageDecoder images, int overFetch,
                        int maxSegmentsPerItem, ModalityFusion fusion, MeterRegistry meters, PageCursors cursors) {
        if (overFetch < 1) {
            throw new IllegalArgumentException("tessera.search.over-fetch must be >= 1, was " + overFetch);
        }
        if (maxSegmentsPerItem < 0) {
            throw new IllegalArgumentException("tessera.search.max-segments-per-item must be >= 0, was "
                    + maxSegmentsPerItem);
        }
        this.store = store;
        this.model = model;
        this.images = images;
        this.overFetch = overFetch;
        this.maxSegmentsPerItem = maxSegmentsPerItem;
        this.fusion = java.util.Objects.requireNonNull(fusion, "fusion");
        this.meters = meters == null ? new SimpleMeterRegistry() : meters;
        this.cursors = java.util.Objects.requireNonNull(cursors, "cursors");
    }

    public LiveModel model() {
        return model;
    }

    public SearchResponse search(SearchSpec spec) {
        long start = System.nanoTime();
        try {
            return searchOnce(spec, start);
        } catch (CollectionNotFoundException e) {
            // The alias moved on and the collection we had cached was dropped: look the alias up again, once.
            model.invalidate();
            return searchOnce(spec, start);
        } finally {
            Timer.builder("tessera.search.requests").tag("query", spec.query().kind())
                    .tag("grouped", Boolean.toString(!spec.rawSegments()))
                    .description("searches, encode + Milvus + grouping").register(meters)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private SearchResponse searchOnce(SearchSpec spec, long start) {
        Optional<ModelCollection> live = model.live();
        ModalityFusion merge = fusionOf(spec);
        PageCursors.Cursor cursor = spec.cursor() == null ? null : cursors.decode(spec.cursor());
        String binding = PageCursors.binding(spec, merge);
        if (cursor != null && !cursor.binding().equals(binding)) {
            throw ApiException.badRequest("cursor_mismatch", "this cursor belongs to another search: send it with the"
                    + " same query, tenant, modalities, filter, rawSegments and fusion as the page it came with, or"
                    + " leave cursor out to start a new search");
        }
        if (live.isEmpty()) {
            if (spec.query() instanceof QueryInput.Media m) {
                throw unknownMedia(m.mediaId(), spec.tenant());
            }
            if (cursor != null) {
                throw staleCursor(cursor, "none (nothing is indexed with the model any more)");
            }
            // Nothing indexed with this model yet: an empty answer, not an error.
            return new SearchResponse(null, null, spec.tenant(), spec.query().kind(), !spec.rawSegments(), List.of(),
                    millisSince(start));
        }
        ModelCollection collection = live.get();
        if (cursor != null && !cursor.collection().equals(collection.collection())) {
            throw staleCursor(cursor, collection.collection());
        }
        int offset = cursor == null ? 0 : cursor.offset();
        if ((long) offset + spec.topK() > SearchRequest.MAX_TOP_K) {
            throw ApiException.badRequest("page_too_deep", "this page would end at hit " + (offset + spec.topK())
                    + ", past " + SearchRequest.MAX_TOP_K + ": Milvus returns at most " + SearchRequest.MAX_TOP_K
                    + " rows for one search (its offset + limit cap) and every page is searched from the top. Narrow"
                    + " the search (filter, modalities) instead of paging deeper");
        }
        // One hit beyond the page says whether there is a next one; the window never exceeds Milvus' cap.
        int window = Math.min(SearchRequest.MAX_TOP_K, offset + spec.topK() + 1);
        float[] vector = vectorOf(spec, collection);
        String exclude = spec.query() instanceof QueryInput.Media m ? m.mediaId() : null;
        List<String> modalities = spec.modalities().isEmpty() ? ALL_MODALITIES
                : ALL_MODALITIES.stream().filter(spec.modalities()::contains).toList();
        boolean fused = merge != ModalityFusion.NONE && modalities.size() > 1;
        Map<String, double[]> calibration = null;
        List<SearchResult> ranking;
        if (fused) {
            Fused f = fused(spec, window, merge, modalities, collection.collection(), vector, exclude,
                    cursor == null ? null : cursor.calibration());
            ranking = f.ranking();
            calibration = f.calibration();
        } else {
            ranking = ranked(spec, window, spec.modalities(), collection.collection(), vector, exclude).results();
        }
        List<SearchResult> hits = List.copyOf(ranking.subList(Math.min(offset, ranking.size()),
                Math.min(offset + spec.topK(), ranking.size())));
        int next = offset + spec.topK();
        String nextCursor = ranking.size() > next && next < SearchRequest.MAX_TOP_K
                ? cursors.encode(new PageCursors.Cursor(PageCursors.VERSION, next, collection.collection(), binding,
                        PageCursors.sorted(calibration)))
                : null;
        return new SearchResponse(new ModelInfo(collection.model().name(), collection.model().version()),
                collection.collection(), spec.tenant(), spec.query().kind(), !spec.rawSegments(), hits,
                millisSince(start), modalities.size() > 1 ? (fused ? merge : ModalityFusion.NONE).id() : null,
                offset, nextCursor);
    }

    /** A fused ranking and, for zscore, the calibration it used (by modality). */
    private record Fused(List<SearchResult> ranking, Map<String, double[]> calibration) {
    }

    /**
     * Each modality searched and cut on its own, then merged by the fused score (ties: the raw cosine, then the
     * mediaId and segment, so that the order is total and pages never disagree).
     *
     * @param given the first page's calibration (later pages), or null to measure it from these rows
     */
    private Fused fused(SearchSpec spec, int window, ModalityFusion merge, List<String> modalities, String collection,
                        float[] vector, String exclude, Map<String, double[]> given) {
        List<List<SearchHit>> candidates = new ArrayList<>();
        List<List<SearchResult>> results = new ArrayList<>();
        for (String modality : modalities) {
            Ranked ranked = ranked(spec, window, Set.of(modality), collection, vector, exclude);
            candidates.add(ranked.rows());
            results.add(ranked.results());
        }
        double[][] calibration = ModalityFusion.calibrate(candidates);
        if (given != null && merge == ModalityFusion.ZSCORE) {
            for (int m = 0; m < modalities.size(); m++) {
                double[] c = given.get(modalities.get(m));
                if (c == null || c.length != 2 || !Double.isFinite(c[0]) || !Double.isFinite(c[1])) {
                    throw ApiException.badRequest("invalid_cursor", "the cursor has no calibration for "
                            + modalities.get(m) + "; leave cursor out to start the search again");
                }
                calibration[m] = c;
            }
        }
        float[][] scores = merge.scores(calibration, results);
        List<SearchResult> merged = new ArrayList<>();
        for (int m = 0; m < results.size(); m++) {
            for (int i = 0; i < scores[m].length; i++) {
                merged.add(results.get(m).get(i).withFusedScore(scores[m][i]));
            }
        }
        merged.sort(Comparator.comparingDouble((SearchResult r) -> r.fusedScore()).reversed()
                .thenComparing(Comparator.comparingDouble(SearchResult::score).reversed())
                .thenComparing(SearchResult::mediaId).thenComparingInt(SearchResult::segment));
        Map<String, double[]> used = null;
        if (merge == ModalityFusion.ZSCORE) {
            used = new LinkedHashMap<>();
            for (int m = 0; m < modalities.size(); m++) {
                used.put(modalities.get(m), calibration[m]);
            }
        }
        return new Fused(List.copyOf(merged.subList(0, Math.min(window, merged.size()))), used);
    }

    /** The request's own fusion, else the service's. */
    private ModalityFusion fusionOf(SearchSpec spec) {
        return spec.fusion() != null ? spec.fusion() : fusion;
    }

    /** The rows Milvus returned and the results cut from them. */
    private record Ranked(List<SearchHit> rows, List<SearchResult> results) {
    }

    /**
     * The first {@code window} hits of one search.
     *
     * @param modalities the modalities this search covers (one, under fusion), empty for all
     */
    private Ranked ranked(SearchSpec spec, int window, Set<String> modalities, String collection, float[] vector,
                          String exclude) {
        Search search = new Search(spec, window, modalities);
        return spec.rawSegments() ? rawRows(search, collection, vector, exclude)
                : groupedItems(search, collection, vector, exclude);
    }

    /** One Milvus search as the engine runs it: the request, how many hits it wants, over which modalities. */
    private record Search(SearchSpec spec, int window, Set<String> modalities) {
    }

    private float[] vectorOf(SearchSpec spec, ModelCollection collection) {
        long t0 = System.nanoTime();
        try {
            return switch (spec.query()) {
                case QueryInput.Text t -> model.encodeText(collection.model(),
                        new TextInput(t.text(), t.task() == null ? DEFAULT_TASK : t.task(), t.instruction()));
                case QueryInput.Image i -> model.encodeImage(collection.model(), images.decode(i.bytes()));
                case QueryInput.Media m -> stored(collection.collection(), spec.tenant(), m.mediaId());
            };
        } finally {
            Timer.builder("tessera.search.encode").tag("query", spec.query().kind())
                    .description("time to get the query vector").register(meters)
                    .record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        }
    }

    private float[] stored(String collection, String tenant, String mediaId) {
        try {
            // The tenant filter is part of the lookup: another tenant's item is indistinguishable from a missing one.
            return store.wholeItemVector(collection, tenant, mediaId).orElseThrow(() -> unknownMedia(mediaId, tenant));
        } catch (InvalidVectorDataException e) {
            throw ApiException.badRequest("invalid_media_id", e.getMessage());
        } catch (CollectionNotFoundException e) {
            throw e;
        } catch (VectorStoreException e) {
            throw milvusFailure(e);
        }
    }

    private Ranked rawRows(Search search, String collection, float[] vector, String exclude) {
        // Fused searches fetch more rows than they keep: the rows are also the sample the scores are fused from.
        int limit = exclude == null && fusionOf(search.spec()) == ModalityFusion.NONE ? search.window()
                : Math.min(SearchRequest.MAX_TOP_K, search.window() * overFetch);
        List<SearchHit> rows = rows(search, collection, vector, limit);
        return new Ranked(rows, HitGrouping.raw(rows, search.window(), exclude));
    }

    private Ranked groupedItems(Search search, String collection, float[] vector, String exclude) {
        int wanted = search.window();
        int limit = (int) Math.min(SearchRequest.MAX_TOP_K, (long) wanted * overFetch + (exclude == null ? 0 : overFetch));
        List<SearchHit> rows = rows(search, collection, vector, limit);
        for (int round = 2; round <= MAX_ROUNDS; round++) {
            boolean mayHaveMore = rows.size() >= limit && limit < SearchRequest.MAX_TOP_K;
            if (!mayHaveMore || HitGrouping.distinctItems(rows, exclude) >= wanted) {
                break;
            }
            limit = Math.min(SearchRequest.MAX_TOP_K, limit * 4);
            rows = rows(search, collection, vector, limit);
        }
        return new Ranked(rows, HitGrouping.group(rows, wanted, maxSegmentsPerItem, exclude));
    }

    private List<SearchHit> rows(Search search, String collection, float[] vector, int limit) {
        long t0 = System.nanoTime();
        try {
            // The tenant goes into the typed request: the store puts it on the partition key on the server and
            // drops any row of another tenant on the way back. The filter's conditions are typed too.
            return store.search(new SearchRequest(collection, search.spec().tenant(), vector, limit,
                    search.modalities(), SegmentScope.ALL, search.spec().filter()));
        } catch (InvalidVectorDataException e) {
            throw ApiException.badRequest("invalid_query", e.getMessage());
        } catch (CollectionNotFoundException e) {
            throw e;
        } catch (VectorStoreException e) {
            throw milvusFailure(e);
        } finally {
            Timer.builder("tessera.search.milvus").description("Milvus search round trips").register(meters)
                    .record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * The rows of one item in the live collection (whole item first, then frames, pages or chunks by segment),
     * within the tenant: for {@code GET /v1/media/{mediaId}}. Empty when nothing is live or the item has no rows.
     */
    public Optional<IndexedRows> indexedRows(String tenant, String mediaId) {
        try {
            return model.live().map(live -> new IndexedRows(live,
                    store.itemRows(live.collection(), tenant, mediaId, false)));
        } catch (InvalidVectorDataException e) {
            throw ApiException.badRequest("invalid_media_id", e.getMessage());
        } catch (CollectionNotFoundException e) {
            model.invalidate();
            throw e;
        } catch (VectorStoreException e) {
            throw milvusFailure(e);
        }
    }

    /** An item's rows and the collection they were read from. */
    public record IndexedRows(ModelCollection collection, List<StoredRow> rows) {
    }

    private static ApiException staleCursor(PageCursors.Cursor cursor, String now) {
        return ApiException.badRequest("cursor_stale", "the cursor was made on collection '" + cursor.collection()
                + "' and the live collection is now " + (now.startsWith("none") ? now : "'" + now + "'")
                + " (a new model version went live): its ranking cannot be continued. Leave cursor out to search"
                + " again");
    }

    private static ApiException milvusFailure(VectorStoreException e) {
        if (e instanceof TransientVectorStoreException) {
            return ApiException.unavailable("milvus_unavailable", "Milvus did not answer: " + e.getMessage(), e);
        }
        return new ApiException(502, "milvus_failed", "Milvus refused the search: " + e.getMessage(), null, e);
    }

    private static ApiException unknownMedia(String mediaId, String tenant) {
        return ApiException.notFound("unknown_media_id", "no indexed item '" + mediaId + "' in tenant '" + tenant + "'");
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
