package io.tessera.client.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One hit. Grouped (the default), it is one item, scored by its best-matching row, with that row's segment and
 * time span, and its best segments: {@code moments} for a video, {@code pages} for a document, {@code chunks} for a
 * long text. With {@code rawSegments} it is one row, and the lists are absent.
 *
 * @param segment -1 when the best match is the whole item, else the frame, page or chunk index
 * @param startMs the best match's time span in a video; null otherwise
 * @param page    1-based page number when the best match is a document page
 * @param score   cosine similarity of the best match to the query (the raw score, whatever the ranking)
 * @param fusedScore what the hits were ordered by when several modalities were searched at once and their scores
 *                made comparable ({@link SearchResponse#fusion()}); null for a search of one modality
 * @param passage the best match's text (a text chunk, a document page's text), as stored at indexing (at most
 *                ~4 KB); null for pictures and for items indexed before passages were stored
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SearchResult(String mediaId, String modality, int segment, Long startMs, Long endMs, Integer page,
                           float score, Map<String, String> attributes, List<SegmentMatch> moments,
                           List<SegmentMatch> pages, List<SegmentMatch> chunks, Float fusedScore, String passage) {

    public SearchResult(String mediaId, String modality, int segment, Long startMs, Long endMs, Integer page,
                        float score, Map<String, String> attributes, List<SegmentMatch> moments,
                        List<SegmentMatch> pages, List<SegmentMatch> chunks) {
        this(mediaId, modality, segment, startMs, endMs, page, score, attributes, moments, pages, chunks, null, null);
    }

    public SearchResult(String mediaId, String modality, int segment, Long startMs, Long endMs, Integer page,
                        float score, Map<String, String> attributes, List<SegmentMatch> moments,
                        List<SegmentMatch> pages, List<SegmentMatch> chunks, Float fusedScore) {
        this(mediaId, modality, segment, startMs, endMs, page, score, attributes, moments, pages, chunks, fusedScore,
                null);
    }

    /** This hit with the text of its best match. */
    public SearchResult withPassage(String text) {
        return new SearchResult(mediaId, modality, segment, startMs, endMs, page, score, attributes, moments, pages,
                chunks, fusedScore, text);
    }

    /** This hit with the score it was ranked by across modalities. */
    public SearchResult withFusedScore(float fused) {
        return new SearchResult(mediaId, modality, segment, startMs, endMs, page, score, attributes, moments, pages,
                chunks, fused, passage);
    }
}
