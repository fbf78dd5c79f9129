package io.tessera.client.api;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What the live collection holds of an item, next to the catalog's status in {@code GET /v1/media/{mediaId}}.
 *
 * @param model      the model version of the live collection; null when nothing is live
 * @param collection the live collection read; null when nothing is live
 * @param segments   its rows, whole item first, then by segment; empty when the item is not (or not yet) in it
 */
@Schema(description = "The item's rows in the live collection (what search can find)")
public record IndexedItem(
        @Schema(description = "The model version of the live collection; null when nothing is live") ModelInfo model,
        @Schema(description = "The live collection; null when nothing is live") String collection,
        @Schema(description = "Whole item first (segment -1), then moments, pages or chunks by segment; empty"
                + " when the item is not in the live collection (pending, failed, deleted, or indexed by another"
                + " model version)")
        List<IndexedSegment> segments) {
}
