package io.tessera.search.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The answer of {@code POST /v1/search}.
 *
 * @param model      the model version that encoded the query; null when nothing has been indexed yet (no
 *                   collection behind the alias), in which case {@code hits} is empty
 * @param collection the collection searched (the one the alias pointed at)
 * @param tenant     the tenant searched
 * @param grouped    false when raw segment rows were asked for
 * @param tookMs     server time for the whole search (encode + Milvus + grouping)
 * @param fusion     how hits of several modalities were made comparable before they were merged ({@code zscore},
 *                   {@code rrf} or {@code none}: see {@code tessera.search.fusion}); null when one modality was searched
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SearchResponse(ModelInfo model, String collection, String tenant, String query, boolean grouped,
                             List<SearchResult> hits, long tookMs, String fusion) {

    public SearchResponse(ModelInfo model, String collection, String tenant, String query, boolean grouped,
                          List<SearchResult> hits, long tookMs) {
        this(model, collection, tenant, query, grouped, hits, tookMs, null);
    }
}
