package io.tessera.vectorstore;

import java.util.Map;

/**
 * A row as stored, read back by {@link VectorStore#itemRows}.
 *
 * @param vector {@code null} unless vectors were asked for
 */
public record StoredRow(String pk, String mediaId, String tenant, String modality, int segment, Long startMs, Long endMs,
                        long indexedAt, Map<String, String> attributes, float[] vector) {
}
