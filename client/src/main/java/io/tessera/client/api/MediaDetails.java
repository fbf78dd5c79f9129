package io.tessera.client.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The shape of {@code GET /v1/media/{mediaId}}, for the OpenAPI description: media-catalog's status object, as the
 * catalog answers it (its fields are the catalog's contract, see services/media-catalog's README), with
 * {@code indexed} added by search-api. Not instantiated: the endpoint adds {@code indexed} to the catalog's JSON so
 * that catalog fields pass through unchanged.
 */
@Schema(name = "MediaDetails", description = "media-catalog's status of the item (mediaId, tenant, modality, status,"
        + " modelName, modelVersion, segments (a count), error, updatedAt, versions, ...) plus 'indexed': its rows in"
        + " the live collection", additionalProperties = Object.class)
public record MediaDetails(String mediaId, String tenant, String modality,
                           @Schema(description = "PENDING, INDEXED, FAILED or DELETED") String status,
                           IndexedItem indexed) {
}
