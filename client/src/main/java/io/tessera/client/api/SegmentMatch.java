package io.tessera.client.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One matching segment of an item: a video moment (with its time span), a document page (with its 1-based page
 * number) or a text chunk.
 *
 * @param segment the row's segment index (frame, page or chunk, 0-based)
 * @param startMs where a video moment starts, in milliseconds; null for pages and chunks
 * @param endMs   where it ends
 * @param page    1-based page number for document pages; null otherwise
 * @param score   cosine similarity to the query
 * @param passage the segment's text (a chunk, a page's text, a moment's OCR text); null when it has none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SegmentMatch(int segment, Long startMs, Long endMs, Integer page, float score, String passage) {

    public SegmentMatch(int segment, Long startMs, Long endMs, Integer page, float score) {
        this(segment, startMs, endMs, page, score, null);
    }
}
