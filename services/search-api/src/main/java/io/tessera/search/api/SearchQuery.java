package io.tessera.search.api;

import java.util.List;

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
 */
public record SearchQuery(String text, String image, String mediaId, String tenant, List<String> modalities,
                          Integer topK, String task, String instruction, Boolean rawSegments, String fusion) {

    public SearchQuery(String text, String image, String mediaId, String tenant, List<String> modalities,
                       Integer topK, String task, String instruction, Boolean rawSegments) {
        this(text, image, mediaId, tenant, modalities, topK, task, instruction, rawSegments, null);
    }

    public static SearchQuery text(String text) {
        return new SearchQuery(text, null, null, null, null, null, null, null, null, null);
    }
}
