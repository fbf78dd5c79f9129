package io.tessera.client.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

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
 * @param offset     the 0-based rank of the first hit on this page (0 for the first page)
 * @param nextCursor send it back as {@code cursor} (with the same search) for the next page; absent on the last page
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SearchResponse(ModelInfo model, String collection, String tenant, String query, boolean grouped,
                             List<SearchResult> hits, long tookMs, String fusion,
                             @Schema(description = "The 0-based rank of this page's first hit in the whole result"
                                     + " list (0 on the first page)")
                             Integer offset,
                             @Schema(description = "Opaque; send it back as 'cursor' with the same search (query,"
                                     + " tenant, modalities, filter, rawSegments, fusion) for the next page. Absent"
                                     + " when there are no more hits. It is bound to the live collection: after a"
                                     + " new model version goes live it is refused (400 cursor_stale).")
                             String nextCursor) {

    public SearchResponse(ModelInfo model, String collection, String tenant, String query, boolean grouped,
                          List<SearchResult> hits, long tookMs) {
        this(model, collection, tenant, query, grouped, hits, tookMs, null);
    }

    public SearchResponse(ModelInfo model, String collection, String tenant, String query, boolean grouped,
                          List<SearchResult> hits, long tookMs, String fusion) {
        this(model, collection, tenant, query, grouped, hits, tookMs, fusion, 0, null);
    }
}
