package io.tessera.search.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.search.ApiException;
import io.tessera.search.TenantAccess;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/** An item's indexing status (from media-catalog) and its thumbnails, within the caller's tenant. */
@Path("/v1/media/{mediaId}")
@SecurityRequirement(name = "apiKey")
public class MediaResource {

    @Inject
    TenantAccess access;

    @Inject
    CatalogProxy catalog;

    @Inject
    Thumbnails thumbnails;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Indexing status of an item, answered by media-catalog")
    public JsonNode status(@PathParam("mediaId") String mediaId, @QueryParam("tenant") String tenant,
                           @HeaderParam("X-Api-Key") String apiKey, @HeaderParam("Authorization") String authorization) {
        String resolved = access.resolve(apiKey, authorization, tenant);
        return catalog.status(resolved, checked(mediaId));
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

    private static String checked(String mediaId) {
        if (mediaId == null || mediaId.isBlank()
                || mediaId.getBytes(StandardCharsets.UTF_8).length > VectorFields.MAX_MEDIA_ID_BYTES
                || mediaId.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("invalid_media_id", "a mediaId has 1-" + VectorFields.MAX_MEDIA_ID_BYTES
                    + " bytes and no control characters");
        }
        return mediaId;
    }
}
