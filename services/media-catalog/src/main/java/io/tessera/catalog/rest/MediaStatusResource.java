package io.tessera.catalog.rest;

import io.tessera.catalog.MediaStatus;
import io.tessera.catalog.internal.Identifiers;
import io.tessera.catalog.internal.runtime.StatusQueries;
import io.tessera.catalog.internal.runtime.StatusQueries.Result;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /v1/media/{mediaId}?tenant=}: an item's indexing status, as the catalog knows it. */
@Path("/v1/media")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "media", description = "Indexing status of media items")
public class MediaStatusResource {

    /** The body of every non-200 answer. */
    public record ErrorBody(String error) {
    }

    @Inject
    StatusQueries queries;

    @GET
    @Path("/{mediaId}")
    @Operation(summary = "Indexing status of an item",
            description = "PENDING (accepted, not indexed yet), INDEXED (with model version and segment count),"
                    + " FAILED (with the reason) or DELETED. Items of other tenants are reported as not found.")
    @APIResponse(responseCode = "200", description = "The item's status",
            content = @Content(schema = @Schema(implementation = MediaStatus.class)))
    @APIResponse(responseCode = "400", description = "No tenant, or a mediaId that cannot exist")
    @APIResponse(responseCode = "404", description = "No such item for this tenant")
    @APIResponse(responseCode = "503", description = "The status store is starting or rebalancing: retry shortly")
    public Response status(@PathParam("mediaId") String mediaId,
                           @Parameter(description = "The tenant the item belongs to", required = true)
                           @QueryParam("tenant") String tenant,
                           @Parameter(hidden = true) @HeaderParam(StatusQueries.FORWARDED_HEADER) String forwarded) {
        if (tenant == null || tenant.isBlank()) {
            return error(Response.Status.BAD_REQUEST,
                    "The tenant query parameter is required: GET /v1/media/{mediaId}?tenant=<tenant>");
        }
        if (!Identifiers.isMediaId(mediaId)) {
            return error(Response.Status.BAD_REQUEST, "mediaId " + Identifiers.quote(mediaId) + " is not a valid mediaId"
                    + " (1 to " + Identifiers.MAX_MEDIA_ID_CHARS + " characters of A-Z a-z 0-9 . _ : @ + = ~ -)");
        }
        Result result = queries.find(mediaId, tenant, "true".equals(forwarded));
        return switch (result) {
            case Result.Found found -> Response.ok(found.status()).build();
            case Result.NotFound notFound -> error(Response.Status.NOT_FOUND,
                    "No item " + Identifiers.quote(mediaId) + " for tenant " + Identifiers.quote(tenant));
            case Result.Unavailable unavailable -> Response.status(Response.Status.SERVICE_UNAVAILABLE)
                    .header("Retry-After", "1").entity(new ErrorBody(unavailable.reason())).build();
            case Result.Forwarded remote -> Response.status(remote.status()).entity(remote.body())
                    .type(MediaType.APPLICATION_JSON).build();
        };
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).entity(new ErrorBody(message)).build();
    }
}
