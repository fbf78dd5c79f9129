package io.tessera.search.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.search.ApiException;
import io.tessera.search.SearchEngine;
import io.tessera.search.TenantAccess;
import io.tessera.client.api.IndexedItem;
import io.tessera.client.api.IndexedSegment;
import io.tessera.client.api.MediaDetails;
import io.tessera.client.api.ModelInfo;
import io.tessera.client.api.Problem;
import io.tessera.vectorstore.StoredRow;
import io.tessera.vectorstore.VectorFields;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/**
 * An item's indexing status (from media-catalog) with its rows in the live collection, and its thumbnails, within the
 * caller's tenant.
 */
@Path("/v1/media/{mediaId}")
@SecurityRequirement(name = "apiKey")
public class MediaResource {

    @Inject
    TenantAccess access;

    @Inject
    CatalogProxy catalog;

    @Inject
    Thumbnails thumbnails;

    @Inject
    SearchEngine engine;

    @Inject
    ObjectMapper json;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Indexing status of an item (from media-catalog) and its rows in the live collection",
            description = "The catalog's status object as it answers it, plus 'indexed': the live collection and the"
                    + " item's rows in it (whole item, moments, pages, chunks) as search finds them. Only items of the"
                    + " API key's tenant.")
    @APIResponse(responseCode = "200", description = "status and indexed segments",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = MediaDetails.class)))
    @APIResponse(responseCode = "400", description = "invalid mediaId",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "missing or invalid API key")
    @APIResponse(responseCode = "403", description = "a tenant other than the API key's")
    @APIResponse(responseCode = "404", description = "no such item in the tenant")
    @APIResponse(responseCode = "503", description = "media-catalog or Milvus did not answer; retry")
    public JsonNode status(@PathParam("mediaId") String mediaId,
                           @Parameter(description = "Must be the API key's tenant; may be left out")
                           @QueryParam("tenant") String tenant,
                           @HeaderParam("X-Api-Key") String apiKey, @HeaderParam("Authorization") String authorization) {
        String resolved = access.resolve(apiKey, authorization, tenant);
        String id = checked(mediaId);
        JsonNode status = catalog.status(resolved, id);
        // The catalog decides whether the item exists for this tenant; the rows are read with the same tenant on the
        // partition key, so they cannot belong to anyone else either.
        IndexedItem indexed = engine.indexedRows(resolved, id)
                .map(r -> new IndexedItem(new ModelInfo(r.collection().model().name(), r.collection().model().version()),
                        r.collection().collection(), r.rows().stream().map(MediaResource::segment).toList()))
                .orElse(new IndexedItem(null, null, List.of()));
        ObjectNode out = status.isObject() ? ((ObjectNode) status).deepCopy() : json.createObjectNode();
        out.set("indexed", json.valueToTree(indexed));
        return out;
    }

    private static IndexedSegment segment(StoredRow row) {
        Integer page = "DOCUMENT".equals(row.modality()) && row.segment() != VectorFields.WHOLE_ITEM
                ? row.segment() + 1 : null;
        return new IndexedSegment(row.segment(), row.modality(), page, row.startMs(), row.endMs(), row.indexedAt());
    }

    @GET
    @Path("/thumbnail")
    @Produces("image/jpeg")
    @Operation(summary = "A JPEG preview: the image, the video frame nearest atMs, or document page `page` (1-based)")
    public Response thumbnail(@PathParam("mediaId") String mediaId, @QueryParam("tenant") String tenant,
                              @QueryParam("atMs") Long atMs, @QueryParam("page") Integer page,
                              @HeaderParam("X-Api-Key") String apiKey,
                              @HeaderParam("Authorization") String authorization) {
        String resolved = access.resolve(apiKey, authorization, tenant);
        byte[] jpeg = thumbnails.thumbnail(resolved, checked(mediaId), atMs, page)
                .orElseThrow(() -> ApiException.notFound("no_thumbnail", "no thumbnail for '" + mediaId
                        + "' in tenant '" + resolved + "' (unknown item, a text, or content this service cannot reach)"));
        CacheControl cache = new CacheControl();
        cache.setPrivate(true);
        cache.setMaxAge(300);
        return Response.ok(jpeg, "image/jpeg").cacheControl(cache).build();
    }

    /** The path's mediaId, or a 400 that says what one looks like (also for the content endpoints). */
    static String checked(String mediaId) {
        if (mediaId == null || mediaId.isBlank()
                || mediaId.getBytes(StandardCharsets.UTF_8).length > VectorFields.MAX_MEDIA_ID_BYTES
                || mediaId.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("invalid_media_id", "a mediaId has 1-" + VectorFields.MAX_MEDIA_ID_BYTES
                    + " bytes and no control characters");
        }
        return mediaId;
    }
}
