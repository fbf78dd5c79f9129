package io.tessera.vectorstore;

import java.util.Map;

/**
 * One row to write: the whole item ({@code segment == }{@link VectorFields#WHOLE_ITEM}) or one frame, page or chunk.
 * Its primary key is {@link #pk()}, so writing the same row twice leaves one row.
 *
 * @param startMs    milliseconds into the media where the segment starts, or {@code null} when it has no time span
 * @param endMs      where it ends ({@code >= startMs}), or {@code null}
 * @param attributes the publisher's attributes (string to string), stored as the {@link VectorFields#ATTRIBUTES} object
 * @param passage    the text the row was embedded from (a chunk, a page's text), or {@code null}; longer than
 *                   {@link VectorFields#MAX_PASSAGE_BYTES} it is cut at a character boundary, blank it is null
 */
public record VectorRow(String mediaId, String tenant, String modality, int segment, Long startMs, Long endMs,
                        float[] vector, Map<String, String> attributes, String passage) {

    public VectorRow {
        Checks.identifier("mediaId", mediaId, VectorFields.MAX_MEDIA_ID_BYTES);
        Checks.identifier("tenant", tenant, VectorFields.MAX_TENANT_BYTES);
        Checks.identifier("modality", modality, VectorFields.MAX_MODALITY_BYTES);
        if (segment < VectorFields.WHOLE_ITEM) {
            throw new InvalidVectorDataException("segment must be -1 (whole item) or >= 0, was " + segment + " for " + mediaId);
        }
        if ((startMs == null) != (endMs == null)) {
            throw new InvalidVectorDataException("startMs and endMs must both be set or both be null for " + mediaId);
        }
        if (startMs != null && (startMs < 0 || endMs < startMs)) {
            throw new InvalidVectorDataException("need 0 <= startMs <= endMs, got " + startMs + ".." + endMs + " for " + mediaId);
        }
        Checks.vector("vector of " + VectorFields.pk(mediaId, segment), vector);
        attributes = Checks.attributes(attributes);
        passage = Checks.passage(passage);
    }

    /** A row without a passage (images, video moments). */
    public VectorRow(String mediaId, String tenant, String modality, int segment, Long startMs, Long endMs,
                     float[] vector, Map<String, String> attributes) {
        this(mediaId, tenant, modality, segment, startMs, endMs, vector, attributes, null);
    }

    /** The whole-item row. */
    public static VectorRow whole(String mediaId, String tenant, String modality, float[] vector, Map<String, String> attributes) {
        return new VectorRow(mediaId, tenant, modality, VectorFields.WHOLE_ITEM, null, null, vector, attributes);
    }

    public String pk() {
        return VectorFields.pk(mediaId, segment);
    }

    public boolean isWholeItem() {
        return segment == VectorFields.WHOLE_ITEM;
    }
}
