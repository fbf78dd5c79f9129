package io.tessera.search.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.tessera.search.ApiException;
import io.tessera.client.api.FilterCondition;
import io.tessera.client.api.Problem;
import io.tessera.vectorstore.CollectionNotFoundException;
import io.tessera.vectorstore.TransientVectorStoreException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every error leaves as a {@link Problem} ({@code application/problem+json}) with a stable code. */
public class ProblemMappers {

    static final String PROBLEM_JSON = "application/problem+json";
    private static final Logger LOG = LoggerFactory.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        if (e.status() >= 500) {
            LOG.warn("search failed with {} {}: {}", e.status(), e.error(), e.getMessage());
        }
        Response.ResponseBuilder b = Response.status(e.status()).type(PROBLEM_JSON)
                .entity(new Problem(e.status(), e.error(), e.getMessage()));
        e.retryAfter().ifPresent(d -> b.header("Retry-After", Math.max(1, d.toSeconds())));
        return b.build();
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return invalidJson(e);
    }

    /** Quarkus maps this subtype (wrong types, unknown fields) itself, with an empty body: say what is wrong. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return invalidJson(e);
    }

    private static Response invalidJson(JsonProcessingException e) {
        String field = e instanceof MismatchedInputException m && !m.getPath().isEmpty()
                ? " (field '" + m.getPath().getLast().getFieldName() + "')" : "";
        String message = e instanceof UnrecognizedPropertyException u && u.getReferringClass() == FilterCondition.class
                ? "unknown field '" + u.getPropertyName() + "' in a filter condition; known fields: attribute, field,"
                        + " eq, in, gt, gte, lt, lte"
                : e instanceof UnrecognizedPropertyException u
                ? "unknown field '" + u.getPropertyName() + "'; known fields: text, image, mediaId, tenant, modalities,"
                        + " topK, task, instruction, rawSegments, fusion, filter, cursor"
                : e.getOriginalMessage() + field;
        return problem(400, "invalid_json", "the body is not a valid search query: " + message);
    }

    @ServerExceptionMapper
    public Response transientMilvus(TransientVectorStoreException e) {
        return api(ApiException.unavailable("milvus_unavailable", "Milvus did not answer: " + e.getMessage(), e));
    }

    @ServerExceptionMapper
    public Response collectionGone(CollectionNotFoundException e) {
        return api(ApiException.unavailable("collection_changing",
                "the live collection changed during the search; retry: " + e.getMessage(), e));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return invalidJson(json);
        }
        int status = e.getResponse().getStatus();
        String code = switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 413 -> "body_too_large";
            case 415 -> "unsupported_media_type";
            default -> status >= 500 ? "server_error" : "bad_request";
        };
        return problem(status, code, e.getMessage());
    }

    private static Response problem(int status, String code, String message) {
        return Response.status(status).type(PROBLEM_JSON).entity(new Problem(status, code, message)).build();
    }
}
