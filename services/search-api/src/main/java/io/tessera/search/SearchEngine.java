package io.tessera.search;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tessera.embedding.TextInput;
import io.tessera.search.api.ModelInfo;
import io.tessera.search.api.SearchResponse;
import io.tessera.search.api.SearchResult;
import io.tessera.search.internal.HitGrouping;
import io.tessera.vectorstore.CollectionNotFoundException;
import io.tessera.vectorstore.InvalidVectorDataException;
import io.tessera.vectorstore.ModelCollection;
import io.tessera.vectorstore.SearchHit;
import io.tessera.vectorstore.SearchRequest;
import io.tessera.vectorstore.SegmentScope;
import io.tessera.vectorstore.TransientVectorStoreException;
import io.tessera.vectorstore.VectorStore;
import io.tessera.vectorstore.VectorStoreException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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

    public SearchEngine(VectorStore store, LiveModel model, QueryImageDecoder images, int overFetch,
                        int maxSegmentsPerItem, ModalityFusion fusion, MeterRegistry meters) {
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
        if (live.isEmpty()) {
            if (spec.query() instanceof QueryInput.Media m) {
                throw unknownMedia(m.mediaId(), spec.tenant());
            }
            // Nothing indexed with this model yet: an empty answer, not an error.
            return new SearchResponse(null, null, spec.tenant(), spec.query().kind(), !spec.rawSegments(), List.of(),
                    millisSince(start));
        }
        ModelCollection collection = live.get();
        float[] vector = vectorOf(spec, collection);
        String exclude = spec.query() instanceof QueryInput.Media m ? m.mediaId() : null;
        List<String> modalities = spec.modalities().isEmpty() ? ALL_MODALITIES
                : ALL_MODALITIES.stream().filter(spec.modalities()::contains).toList();
        ModalityFusion merge = fusionOf(spec);
        boolean fused = merge != ModalityFusion.NONE && modalities.size() > 1;
        List<SearchResult> hits = fused
                ? fused(spec, merge, modalities, collection.collection(), vector, exclude)
                : ranked(spec, collection.collection(), vector, exclude).results();
        return new SearchResponse(new ModelInfo(collection.model().name(), collection.model().version()),
                collection.collection(), spec.tenant(), spec.query().kind(), !spec.rawSegments(), hits,
                millisSince(start), modalities.size() > 1 ? (fused ? merge : ModalityFusion.NONE).id() : null);
    }

    /** Each modality searched and cut on its own, then merged by the fused score (ties: the raw cosine). */
    private List<SearchResult> fused(SearchSpec spec, ModalityFusion merge, List<String> modalities, String collection,
                                     float[] vector, String exclude) {
        List<List<SearchHit>> candidates = new ArrayList<>();
        List<List<SearchResult>> results = new ArrayList<>();
        for (String modality : modalities) {
            SearchSpec one = new SearchSpec(spec.tenant(), spec.query(), Set.of(modality), spec.topK(),
                    spec.rawSegments(), merge);
            Ranked ranked = ranked(one, collection, vector, exclude);
            candidates.add(ranked.rows());
            results.add(ranked.results());
        }
        float[][] scores = merge.scores(candidates, results);
        List<SearchResult> merged = new ArrayList<>();
        for (int m = 0; m < results.size(); m++) {
            for (int i = 0; i < scores[m].length; i++) {
                merged.add(results.get(m).get(i).withFusedScore(scores[m][i]));
            }
        }
        merged.sort(Comparator.comparingDouble((SearchResult r) -> r.fusedScore()).reversed()
                .thenComparing(Comparator.comparingDouble(SearchResult::score).reversed()));
        return List.copyOf(merged.subList(0, Math.min(spec.topK(), merged.size())));
    }

    /** The request's own fusion, else the service's. */
    private ModalityFusion fusionOf(SearchSpec spec) {
        return spec.fusion() != null ? spec.fusion() : fusion;
    }

    /** The rows Milvus returned and the results cut from them. */
    private record Ranked(List<SearchHit> rows, List<SearchResult> results) {
    }

    private Ranked ranked(SearchSpec spec, String collection, float[] vector, String exclude) {
        return spec.rawSegments() ? rawRows(spec, collection, vector, exclude)
                : groupedItems(spec, collection, vector, exclude);
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

    private Ranked rawRows(SearchSpec spec, String collection, float[] vector, String exclude) {
        // Fused searches fetch more rows than they keep: the rows are also the sample the scores are fused from.
        int limit = exclude == null && fusionOf(spec) == ModalityFusion.NONE ? spec.topK()
                : Math.min(SearchRequest.MAX_TOP_K, spec.topK() * overFetch);
        List<SearchHit> rows = rows(spec, collection, vector, limit);
        return new Ranked(rows, HitGrouping.raw(rows, spec.topK(), exclude));
    }

    private Ranked groupedItems(SearchSpec spec, String collection, float[] vector, String exclude) {
        int limit = Math.min(SearchRequest.MAX_TOP_K, spec.topK() * overFetch + (exclude == null ? 0 : overFetch));
        List<SearchHit> rows = rows(spec, collection, vector, limit);
        for (int round = 2; round <= MAX_ROUNDS; round++) {
            boolean mayHaveMore = rows.size() >= limit && limit < SearchRequest.MAX_TOP_K;
            if (!mayHaveMore || HitGrouping.distinctItems(rows, exclude) >= spec.topK()) {
                break;
            }
            limit = Math.min(SearchRequest.MAX_TOP_K, limit * 4);
            rows = rows(spec, collection, vector, limit);
        }
        return new Ranked(rows, HitGrouping.group(rows, spec.topK(), maxSegmentsPerItem, exclude));
    }

    private List<SearchHit> rows(SearchSpec spec, String collection, float[] vector, int limit) {
        long t0 = System.nanoTime();
        try {
            // The tenant goes into the typed request: the store puts it on the partition key on the server and
            // drops any row of another tenant on the way back.
            return store.search(new SearchRequest(collection, spec.tenant(), vector, limit, spec.modalities(),
                    SegmentScope.ALL));
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
