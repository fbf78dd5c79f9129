package io.tessera.demo.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** A small client of search-api's {@code POST /v1/search} (the JSON contract of docs/architecture.md). */
final class SearchClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI searchUri;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    SearchClient(URI searchApi) {
        this.searchUri = searchApi.resolve("/v1/search");
    }

    /**
     * A text search limited to one modality.
     *
     * @param rawSegments rank the matching rows themselves (frames, pages) instead of one hit per item
     */
    JsonNode search(String text, String tenant, String modality, int topK, boolean rawSegments)
            throws IOException, InterruptedException {
        return search(text, tenant, modality, topK, rawSegments, null);
    }

    /** @param fusion how search-api merges modalities for this request (null: its own setting) */
    JsonNode search(String text, String tenant, String modality, int topK, boolean rawSegments, String fusion)
            throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        if (fusion != null) {
            body.put("fusion", fusion);
        }
        body.put("text", text);
        body.put("tenant", tenant);
        if (modality != null) {
            body.putArray("modalities").add(modality);
        }
        body.put("topK", topK);
        if (rawSegments) {
            body.put("rawSegments", true);
        }
        return post(body);
    }

    private JsonNode post(ObjectNode body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(searchUri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            String message = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
            try {
                message = JSON.readTree(response.body()).path("message").asText(message);
            } catch (IOException notJson) {
                // keep the raw body
            }
            throw new IOException("search-api answered " + response.statusCode() + ": " + message);
        }
        return JSON.readTree(response.body());
    }

    /** A search by text or by an image (base64 of its file bytes) over the given modalities (empty: all). */
    JsonNode search(String text, byte[] image, String tenant, List<String> modalities, int topK)
            throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        if (text != null) {
            body.put("text", text);
        }
        if (image != null) {
            body.put("image", java.util.Base64.getEncoder().encodeToString(image));
        }
        body.put("tenant", tenant);
        modalities.forEach(body.putArray("modalities")::add);
        body.put("topK", topK);
        return post(body);
    }

    /** The model version search-api encodes queries with (the one behind the alias); -1 when nothing is indexed. */
    static int modelVersion(JsonNode answer) {
        JsonNode model = answer.path("model");
        return model.isObject() ? model.path("version").asInt(-1) : -1;
    }

    static List<JsonNode> hits(JsonNode answer) {
        List<JsonNode> hits = new java.util.ArrayList<>();
        answer.path("hits").forEach(hits::add);
        return hits;
    }

    @Override
    public void close() {
        http.close();
    }
}
