package io.tessera.client.api;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The JSON body of {@code POST /v1/search}. Exactly one of {@code text}, {@code image} and {@code mediaId} is the
 * query; everything else is optional.
 *
 * @param text        a text query, embedded by the model's text tower with the task's instruction template
 * @param image       a base64-encoded image (a {@code data:image/...;base64,} URL prefix is accepted)
 * @param mediaId     an item of the caller's tenant: its stored whole-item vector is the query (more like this);
 *                    the item itself is left out of the answer
 * @param tenant      the tenant to search; must be the API key's tenant (it can never widen the search)
 * @param modalities  IMAGE, VIDEO, DOCUMENT, TEXT (any case); empty or null for all
 * @param topK        items to return (rows with {@code rawSegments}), 1..1000, default 10
 * @param task        the model's task whose instruction template is put before a text query (default "search")
 * @param instruction free-text instruction replacing the task's representation prompt for a text query
 * @param rawSegments return the matching rows as they are (a video frame, a document page, a text chunk each)
 *                    instead of one hit per item with its best moments, pages or chunks
 * @param fusion      over several modalities, how their scores are made comparable: zscore, rrf or none (default:
 *                    the service's {@code tessera.search.fusion})
 * @param filter      conditions on attributes and indexing time that every hit meets (see {@link FilterCondition})
 * @param cursor      the previous page's {@code nextCursor}, to get the next page of the same search
 */
public record SearchQuery(String text, String image, String mediaId, String tenant, List<String> modalities,
                          Integer topK, String task, String instruction, Boolean rawSegments, String fusion,
                          @Schema(description = "Conditions every hit meets (all of them), on the publisher's"
                                  + " attributes or on indexedAt; at most 16. Example: [{\"attribute\": \"camera\","
                                  + " \"eq\": \"x100\"}, {\"attribute\": \"year\", \"gte\": 2020},"
                                  + " {\"field\": \"indexedAt\", \"gte\": \"2026-01-01T00:00:00Z\"}]."
                                  + " Invalid conditions are a 400 invalid_filter.")
                          List<FilterCondition> filter,
                          @Schema(description = "The nextCursor of the previous page, unchanged, sent with the same"
                                  + " search to get the next page; topK may change between pages. A cursor of another"
                                  + " search is 400 cursor_mismatch, an edited one 400 invalid_cursor, one from before"
                                  + " a model version went live 400 cursor_stale; pages end at Milvus' window of 16384"
                                  + " hits (400 page_too_deep).")
                          String cursor) {

    public SearchQuery(String text, String image, String mediaId, String tenant, List<String> modalities,
                       Integer topK, String task, String instruction, Boolean rawSegments) {
        this(text, image, mediaId, tenant, modalities, topK, task, instruction, rawSegments, null);
    }

    public SearchQuery(String text, String image, String mediaId, String tenant, List<String> modalities,
                       Integer topK, String task, String instruction, Boolean rawSegments, String fusion) {
        this(text, image, mediaId, tenant, modalities, topK, task, instruction, rawSegments, fusion, null, null);
    }

    public static SearchQuery text(String text) {
        return new SearchQuery(text, null, null, null, null, null, null, null, null, null);
    }

    /** This query with these conditions (all must hold); null or empty for none. */
    public SearchQuery withFilter(List<FilterCondition> conditions) {
        return new SearchQuery(text, image, mediaId, tenant, modalities, topK, task, instruction, rawSegments, fusion,
                conditions == null || conditions.isEmpty() ? null : List.copyOf(conditions), cursor);
    }

    /** This query asking for the page after the one {@code cursor} came with. */
    public SearchQuery withCursor(String newCursor) {
        return new SearchQuery(text, image, mediaId, tenant, modalities, topK, task, instruction, rawSegments, fusion,
                filter, newCursor);
    }
}
