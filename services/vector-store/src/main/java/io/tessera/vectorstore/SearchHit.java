package io.tessera.vectorstore;

import java.util.Map;

/**
 * One row found by a search, best first.
 *
 * @param score   COSINE similarity, 1 for the same direction
 * @param startMs {@code null} when the row has no time span
 */
public record SearchHit(String pk, String mediaId, String tenant, String modality, int segment, Long startMs, Long endMs,
                        long indexedAt, float score, Map<String, String> attributes) {

    public boolean isWholeItem() {
        return segment == VectorFields.WHOLE_ITEM;
    }
}
