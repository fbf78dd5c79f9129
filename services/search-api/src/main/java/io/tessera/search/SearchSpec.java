package io.tessera.search;

import io.tessera.vectorstore.RowCondition;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A validated search: the tenant has already been decided by the caller's API key, never by the request alone.
 *
 * @param modalities stored modality names (IMAGE, VIDEO, DOCUMENT, TEXT); empty for all
 * @param topK       items (rows when {@code rawSegments}) to return, 1..{@link #MAX_TOP_K}
 * @param fusion     how several modalities are merged for this request; null: the service's setting
 * @param filter     attribute and time conditions every hit meets (see {@link SearchFilters}); empty for none
 * @param cursor     the {@code nextCursor} of the previous page, as the client sent it; null for the first page
 */
public record SearchSpec(String tenant, QueryInput query, Set<String> modalities, int topK, boolean rawSegments,
                         ModalityFusion fusion, List<RowCondition> filter, String cursor) {

    public SearchSpec(String tenant, QueryInput query, Set<String> modalities, int topK, boolean rawSegments) {
        this(tenant, query, modalities, topK, rawSegments, null);
    }

    public SearchSpec(String tenant, QueryInput query, Set<String> modalities, int topK, boolean rawSegments,
                      ModalityFusion fusion) {
        this(tenant, query, modalities, topK, rawSegments, fusion, List.of(), null);
    }

    public static final int DEFAULT_TOP_K = 10;
    public static final int MAX_TOP_K = 1000;

    public SearchSpec {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(query, "query");
        modalities = modalities == null ? Set.of() : Set.copyOf(modalities);
        if (topK < 1 || topK > MAX_TOP_K) {
            throw ApiException.badRequest("invalid_top_k", "topK must be between 1 and " + MAX_TOP_K + ", was " + topK);
        }
        filter = filter == null ? List.of() : List.copyOf(filter);
    }

    public SearchSpec withFusion(ModalityFusion newFusion) {
        return new SearchSpec(tenant, query, modalities, topK, rawSegments, newFusion, filter, cursor);
    }

    public SearchSpec withFilter(List<RowCondition> newFilter) {
        return new SearchSpec(tenant, query, modalities, topK, rawSegments, fusion, newFilter, cursor);
    }

    public SearchSpec withCursor(String newCursor) {
        return new SearchSpec(tenant, query, modalities, topK, rawSegments, fusion, filter, newCursor);
    }
}
