package io.tessera.search.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.search.ApiException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Answers {@code GET /v1/media/{mediaId}} from media-catalog, which owns indexing status. The tenant sent on is the
 * caller's (decided by the API key), and an answer about an item of another tenant is turned into a 404 here as
 * well, so this service never depends on the catalog alone for isolation.
 */
public final class CatalogProxy {

    private final URI base;
    private final Duration timeout;
    private final HttpClient http;
    private final ObjectMapper json;

    public CatalogProxy(String baseUrl, Duration timeout, ObjectMapper json) {
        URI uri = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("tessera.search.catalog.url must be http(s)://host:port, was " + baseUrl);
        }
        this.base = uri;
        this.timeout = timeout;
        this.json = json;
        // Never follow redirects: the catalog's address is configuration, not something an answer may change.
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The catalog's status JSON of an item of the tenant. */
    public JsonNode status(String tenant, String mediaId) {
        URI uri = base.resolve("v1/media/" + URLEncoder.encode(mediaId, StandardCharsets.UTF_8).replace("+", "%20")
                + "?tenant=" + URLEncoder.encode(tenant, StandardCharsets.UTF_8));
        HttpResponse<byte[]> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json")
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw ApiException.unavailable("catalog_unavailable", "media-catalog at " + base + " did not answer: "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted", "interrupted while asking media-catalog", e);
        }
        int code = response.statusCode();
        if (code == 404) {
            throw unknown(mediaId, tenant);
        }
        if (code >= 500) {
            throw ApiException.unavailable("catalog_unavailable", "media-catalog answered " + code, null);
        }
        if (code != 200) {
            throw new ApiException(502, "catalog_failed", "media-catalog answered " + code + ": "
                    + new String(response.body(), StandardCharsets.UTF_8), null, null);
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (IOException e) {
            throw new ApiException(502, "catalog_failed", "media-catalog answered with invalid JSON: " + e.getMessage(),
                    null, e);
        }
        JsonNode owner = body.path("tenant");
        if (!owner.isTextual() || !owner.asText().equals(tenant)) {
            throw unknown(mediaId, tenant);
        }
        return body;
    }

    private static ApiException unknown(String mediaId, String tenant) {
        return ApiException.notFound("unknown_media_id", "no item '" + mediaId + "' in tenant '" + tenant + "'");
    }
}
