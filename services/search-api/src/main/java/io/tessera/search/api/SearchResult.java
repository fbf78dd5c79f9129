package io.tessera.search.api;

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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SearchResult(String mediaId, String modality, int segment, Long startMs, Long endMs, Integer page,
                           float score, Map<String, String> attributes, List<SegmentMatch> moments,
                           List<SegmentMatch> pages, List<SegmentMatch> chunks) {
}
