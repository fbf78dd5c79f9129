package io.tessera.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tessera.events.Modality;
import java.time.Instant;
import java.util.List;

/**
 * The body of {@code GET /v1/media/{mediaId}?tenant=}: where an item stands.
 *
 * @param mediaId the item
 * @param tenant its tenant
 * @param modality its modality
 * @param status PENDING, INDEXED, FAILED or DELETED
 * @param modelName the model of the latest indexing outcome (null while PENDING or when the catalog rejected it)
 * @param modelVersion that model's version
 * @param segments the rows it wrote (whole item plus frames, pages or chunks)
 * @param error why it failed, when FAILED
 * @param updatedAt when the status last changed
 * @param versions the latest outcome per model version (several during a backfill to a new model)
 * @param lastRejection an update the catalog turned away while the previous version stayed live, if any
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record MediaStatus(String mediaId, String tenant, Modality modality, ItemStatus status, String modelName,
                          Integer modelVersion, Integer segments, String error, Instant updatedAt,
                          List<VersionStatus> versions, @JsonInclude(JsonInclude.Include.NON_NULL) Rejected lastRejection) {

    /** One model version's outcome. */
    public record VersionStatus(String modelName, int modelVersion, String collection, ItemStatus status, int segments,
                                String error, Instant indexedAt) {
    }

    /** A rejected update: its reason code, the explanation and when. */
    public record Rejected(String reason, String error, Instant at) {
    }
}
