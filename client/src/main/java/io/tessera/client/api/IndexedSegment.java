package io.tessera.client.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One row of an item in the live collection, as {@code GET /v1/media/{mediaId}} lists it.
 *
 * @param segment   -1 for the whole-item row, else the moment, page or chunk index (0-based)
 * @param modality  IMAGE, VIDEO, DOCUMENT or TEXT
 * @param page      1-based page number of a document page row; null otherwise
 * @param startMs   where a video moment starts, in milliseconds; null for rows without a time span
 * @param endMs     where it ends
 * @param indexedAt when the row was written, epoch milliseconds
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A row of the item in the live collection: the whole item (segment -1), a video moment, a"
        + " document page or a text chunk")
public record IndexedSegment(
        @Schema(description = "-1 for the whole item, else the moment, page or chunk index (0-based)") int segment,
        @Schema(description = "IMAGE, VIDEO, DOCUMENT or TEXT") String modality,
        @Schema(description = "1-based page number of a document page; absent otherwise") Integer page,
        @Schema(description = "Start of a video moment, ms; absent without a time span") Long startMs,
        @Schema(description = "End of a video moment, ms") Long endMs,
        @Schema(description = "When the row was written, epoch milliseconds") long indexedAt) {
}
