package io.tessera.vectorstore;

import java.util.Map;

/**
 * One row found by a search, best first.
 *
 * @param score   COSINE similarity, 1 for the same direction
 * @param startMs {@code null} when the row has no time span
 * @param passage the text the row was embedded from ({@link VectorFields#PASSAGE}); {@code null} when it has none,
 *                also for rows written before passages were stored
 */
public record SearchHit(String pk, String mediaId, String tenant, String modality, int segment, Long startMs, Long endMs,
                        long indexedAt, float score, Map<String, String> attributes, String passage) {

    public SearchHit(String pk, String mediaId, String tenant, String modality, int segment, Long startMs, Long endMs,
                     long indexedAt, float score, Map<String, String> attributes) {
        this(pk, mediaId, tenant, modality, segment, startMs, endMs, indexedAt, score, attributes, null);
    }

    public boolean isWholeItem() {
        return segment == VectorFields.WHOLE_ITEM;
    }
}
