package io.tessera.search.internal;

import io.tessera.search.QueryParser;
import io.tessera.search.SearchEngine;
import io.tessera.search.SearchSpec;
import io.tessera.search.TenantAccess;
import io.tessera.client.api.Problem;
import io.tessera.client.api.SearchQuery;
import io.tessera.client.api.SearchResponse;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * {@code POST /v1/search}: JSON (text, base64 image or mediaId) or a multipart form with an image upload;
 * {@code GET /v1/search}: the same search (text or mediaId) in the query string. Every form resolves the tenant
 * through {@link TenantAccess} first and takes the same filter and cursor.
 */
@Path("/v1/search")
@Produces(MediaType.APPLICATION_JSON)
@SecurityScheme(securitySchemeName = "apiKey", type = SecuritySchemeType.APIKEY, apiKeyName = "X-Api-Key",
        in = SecuritySchemeIn.HEADER)
@SecurityRequirement(name = "apiKey")
public class SearchResource {

    @Inject
    TenantAccess access;

    @Inject
    QueryParser parser;

    @Inject
    SearchEngine engine;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Search with a text, a base64 image or a stored item",
            description = "Exactly one of text, image (base64) and mediaId. Results are grouped per item (a video"
                    + " once with its best moments, a document once with its best pages) unless rawSegments is true."
                    + " filter narrows the hits by attributes and indexing time; nextCursor in the answer, sent back"
                    + " as cursor with the same search, gives the next page.")
    @APIResponse(responseCode = "200", description = "hits, best first, the model version used, and nextCursor when"
            + " more hits exist")
    @APIResponse(responseCode = "400", description = "empty or ambiguous query, bad topK, modality, task or base64;"
            + " invalid_filter; invalid_cursor (edited or not ours), cursor_mismatch (another search's cursor),"
            + " cursor_stale (a new model version went live), page_too_deep (past Milvus' 16384-hit window)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "missing or invalid API key")
    @APIResponse(responseCode = "403", description = "a tenant other than the API key's")
    @APIResponse(responseCode = "404", description = "unknown mediaId in the tenant")
    @APIResponse(responseCode = "413", description = "image over the byte or pixel cap")
    public SearchResponse search(SearchQuery query, @HeaderParam("X-Api-Key") String apiKey,
                                 @HeaderParam("Authorization") String authorization) {
        String tenant = access.resolve(apiKey, authorization, query == null ? null : query.tenant());
        return engine.search(parser.parse(query, tenant));
    }

    @GET
    @Operation(summary = "Search with a text or a stored item, all in the query string (links, bookmarks)",
            description = "The same search as POST /v1/search without an image. Filters are one 'filter' parameter per"
                    + " condition, NAME OP VALUE: NAME is attributes.<name> or indexedAt, OP one of = >= > <= <, the"
                    + " value everything after the operator. '=' compares an attribute's text; the other operators"
                    + " compare numbers or ISO-8601 times. Example: ?text=harbour&filter=attributes.camera%3Dx100"
                    + "&filter=attributes.year%3E%3D2020")
    @APIResponse(responseCode = "200", description = "hits, best first, the model version used, and nextCursor when"
            + " more hits exist")
    @APIResponse(responseCode = "400", description = "as for POST /v1/search",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "missing or invalid API key")
    @APIResponse(responseCode = "403", description = "a tenant other than the API key's")
    @APIResponse(responseCode = "404", description = "unknown mediaId in the tenant")
    public SearchResponse searchGet(
            @Parameter(description = "A text query") @QueryParam("text") String text,
            @Parameter(description = "An item of the caller's tenant whose stored vector is the query")
            @QueryParam("mediaId") String mediaId,
            @Parameter(description = "Must be the API key's tenant; may be left out") @QueryParam("tenant") String tenant,
            @Parameter(description = "IMAGE, VIDEO, DOCUMENT, TEXT: repeat the parameter or separate with commas")
            @QueryParam("modalities") List<String> modalities,
            @Parameter(description = "Hits per page, 1-1000, default 10") @QueryParam("topK") Integer topK,
            @Parameter(description = "The model task whose instruction template applies to a text query")
            @QueryParam("task") String task,
            @Parameter(description = "Free-text instruction for a text query") @QueryParam("instruction") String instruction,
            @Parameter(description = "true: matching rows as they are instead of one hit per item")
            @QueryParam("rawSegments") Boolean rawSegments,
            @Parameter(description = "zscore, rrf or none") @QueryParam("fusion") String fusion,
            @Parameter(description = "One condition per parameter: NAME OP VALUE, e.g. attributes.camera=x100,"
                    + " attributes.year>=2020, indexedAt>=2026-01-01T00:00:00Z (URL-encode = < >)")
            @QueryParam("filter") List<String> filter,
            @Parameter(description = "The previous page's nextCursor, with the same search") @QueryParam("cursor")
            String cursor,
            @Parameter(description = "The API key; it decides the tenant") @HeaderParam("X-Api-Key") String apiKey,
            @Parameter(description = "Bearer <API key>, instead of X-Api-Key") @HeaderParam("Authorization")
            String authorization) {
        String resolved = access.resolve(apiKey, authorization, tenant);
        SearchSpec spec = parser.parse(resolved, text, null, false, mediaId, modalities, topK, task, instruction,
                rawSegments);
        return engine.search(QueryParser.withPaging(spec, filter, cursor, fusion));
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Search with an uploaded image (or text / mediaId form fields)",
            description = "Form fields as the GET parameters (filter once per condition, cursor for the next page:"
                    + " send the same image again with it)")
    public SearchResponse searchForm(@RestForm("image") FileUpload image, @RestForm("text") String text,
                                     @RestForm("mediaId") String mediaId, @RestForm("tenant") String tenant,
                                     @RestForm("modalities") List<String> modalities, @RestForm("topK") Integer topK,
                                     @RestForm("task") String task, @RestForm("instruction") String instruction,
                                     @RestForm("rawSegments") Boolean rawSegments, @RestForm("fusion") String fusion,
                                     @RestForm("filter") List<String> filter, @RestForm("cursor") String cursor,
                                     @HeaderParam("X-Api-Key") String apiKey,
                                     @HeaderParam("Authorization") String authorization) {
        String resolved = access.resolve(apiKey, authorization, tenant);
        byte[] bytes = image == null ? null : read(image);
        SearchSpec spec = parser.parse(resolved, text, bytes, image != null, mediaId, modalities, topK, task,
                instruction, rawSegments);
        return engine.search(QueryParser.withPaging(spec, filter, cursor, fusion));
    }

    private byte[] read(FileUpload upload) {
        try {
            // The cap is checked by the parser; Quarkus' body limit already bounds what was written to disk.
            return Files.readAllBytes(upload.uploadedFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the uploaded image", e);
        }
    }
}
