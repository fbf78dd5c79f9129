package io.tessera.search.internal;

import io.tessera.search.QueryParser;
import io.tessera.search.SearchEngine;
import io.tessera.search.SearchSpec;
import io.tessera.search.TenantAccess;
import io.tessera.search.api.Problem;
import io.tessera.search.api.SearchQuery;
import io.tessera.search.api.SearchResponse;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** {@code POST /v1/search}: JSON (text, base64 image or mediaId) or a multipart form with an image upload. */
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
                    + " once with its best moments, a document once with its best pages) unless rawSegments is true.")
    @APIResponse(responseCode = "200", description = "hits, best first, and the model version used")
    @APIResponse(responseCode = "400", description = "empty or ambiguous query, bad topK, modality, task or base64",
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

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Search with an uploaded image (or text / mediaId form fields)")
    public SearchResponse searchForm(@RestForm("image") FileUpload image, @RestForm("text") String text,
                                     @RestForm("mediaId") String mediaId, @RestForm("tenant") String tenant,
                                     @RestForm("modalities") List<String> modalities, @RestForm("topK") Integer topK,
                                     @RestForm("task") String task, @RestForm("instruction") String instruction,
                                     @RestForm("rawSegments") Boolean rawSegments, @RestForm("fusion") String fusion,
                                     @HeaderParam("X-Api-Key") String apiKey,
                                     @HeaderParam("Authorization") String authorization) {
        String resolved = access.resolve(apiKey, authorization, tenant);
        byte[] bytes = image == null ? null : read(image);
        SearchSpec spec = parser.parse(resolved, text, bytes, image != null, mediaId, modalities, topK, task,
                instruction, rawSegments);
        if (fusion != null) {
            spec = QueryParser.withFusion(spec, fusion);
        }
        return engine.search(spec);
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
