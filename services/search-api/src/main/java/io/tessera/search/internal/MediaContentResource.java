package io.tessera.search.internal;

import io.tessera.search.ApiException;
import io.tessera.search.TenantAccess;
import io.tessera.vectorstore.VectorFields;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/**
 * The bytes of an item the caller may read, with HTTP range requests (206 with Content-Range, Accept-Ranges, 416 for a
 * range outside the content), so that the search page's player starts a video at a moment and seeks without
 * downloading it all. The tenant check is {@link TenantAccess}'s, as for every other path; a player that cannot send
 * the key header uses a signed link instead ({@link ContentLinks}).
 */
@Path("/v1/media/{mediaId}/content")
@SecurityRequirement(name = "apiKey")
public class MediaContentResource {

    @Inject
    TenantAccess access;

    @Inject
    MediaContent contents;

    @Inject
    ContentLinks links;

    /** A signed link and when it stops working (epoch seconds). */
    public record ContentLink(String url, long expires) {
    }

    @GET
    @Produces(MediaType.WILDCARD)
    @Operation(summary = "The item's content (videos, images, documents), with HTTP range requests; authorised by"
            + " the API key or by a signed link from POST .../content/link")
    public Response content(@PathParam("mediaId") String mediaId, @QueryParam("tenant") String tenant,
                            @QueryParam("expires") Long expires, @QueryParam("signature") String signature,
                            @HeaderParam("Range") String range, @HeaderParam("If-Range") String ifRange,
                            @HeaderParam("X-Api-Key") String apiKey,
                            @HeaderParam("Authorization") String authorization) {
        String id = MediaResource.checked(mediaId);
        String resolved;
        if (signature != null) {
            if (!links.valid(tenant, id, expires, signature)) {
                throw ApiException.forbidden("invalid_link", "the content link is not valid for '" + id
                        + "' or has expired; ask for a new one (POST /v1/media/{mediaId}/content/link)");
            }
            resolved = tenant;
        } else {
            resolved = access.resolve(apiKey, authorization, tenant);
        }
        MediaContent.Content content = contents.content(resolved, id).orElseThrow(() -> ApiException.notFound(
                "no_content", "no content for '" + id + "' in tenant '" + resolved
                        + "' (unknown item, a text, or content this service cannot reach)"));
        byte[] bytes = content.bytes();
        Response.ResponseBuilder r;
        Optional<ByteRange> wanted;
        try {
            // If-Range: a range only of the version the client has; otherwise the whole new one (RFC 9110 §13.1.5).
            wanted = ifRange == null || ifRange.strip().equals(content.etag())
                    ? ByteRange.parse(range, bytes.length) : Optional.empty();
        } catch (ByteRange.Unsatisfiable e) {
            return Response.status(416).header("Content-Range", "bytes */" + bytes.length)
                    .header("Accept-Ranges", "bytes").type("application/problem+json")
                    .entity("{\"status\":416,\"error\":\"range_not_satisfiable\",\"message\":\"" + e.getMessage()
                            .replace("\\", "\\\\").replace("\"", "\\\"") + "\"}")
                    .build();
        }
        if (wanted.isPresent()) {
            ByteRange b = wanted.get();
            r = Response.status(206).header("Content-Range", "bytes " + b.first() + "-" + b.last() + "/" + bytes.length)
                    .entity(slice(bytes, (int) b.first(), (int) b.length()));
            r.header("Content-Length", b.length());
        } else {
            r = Response.ok(slice(bytes, 0, bytes.length)).header("Content-Length", bytes.length);
        }
        r.type(content.contentType())
                .header("Accept-Ranges", "bytes")
                .header("ETag", content.etag())
                .header("Cache-Control", "private, max-age=300")
                // Never sniffed into something else, never run as a page of this origin if opened directly.
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Disposition", content.inline() ? "inline" : "attachment");
        if (!"application/pdf".equals(content.contentType())) {
            // Chromium refuses to show a PDF in a sandboxed document; its viewer runs outside this origin anyway.
            r.header("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'; media-src 'self'");
        }
        return r.build();
    }

    @POST
    @Path("/link")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A signed link to the item's content, valid for a few minutes, for players that cannot send"
            + " the API key (an HTML <video src>)")
    public ContentLink link(@PathParam("mediaId") String mediaId, @QueryParam("tenant") String tenant,
                            @HeaderParam("X-Api-Key") String apiKey, @HeaderParam("Authorization") String authorization) {
        String id = MediaResource.checked(mediaId);
        String resolved = access.resolve(apiKey, authorization, tenant);
        ContentLinks.Link link = links.sign(resolved, id);
        String url = "/v1/media/" + encode(id) + "/content?tenant=" + encode(link.tenant()) + "&expires="
                + link.expires() + "&signature=" + link.signature();
        return new ContentLink(url, link.expires());
    }

    /** The bytes from {@code from}, written straight from the cached array: no copy per request. */
    private static StreamingOutput slice(byte[] bytes, int from, int length) {
        return out -> out.write(bytes, from, length);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
