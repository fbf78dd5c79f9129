package io.tessera.vectorstore;

import java.util.Map;

/**
 * A row as stored, read back by {@link VectorStore#itemRows}.
 *
 * @param vector  {@code null} unless vectors were asked for
 * @param passage the text the row was embedded from, or {@code null} (see {@link VectorFields#PASSAGE})
 */
public record StoredRow(String pk, String mediaId, String tenant, String modality, int segment, Long startMs, Long endMs,
                        long indexedAt, Map<String, String> attributes, float[] vector, String passage) {

    public StoredRow(String pk, String mediaId, String tenant, String modality, int segment, Long startMs, Long endMs,
                     long indexedAt, Map<String, String> attributes, float[] vector) {
        this(pk, mediaId, tenant, modality, segment, startMs, endMs, indexedAt, attributes, vector, null);
    }
}
