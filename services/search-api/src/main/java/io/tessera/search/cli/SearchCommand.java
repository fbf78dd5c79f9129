package io.tessera.search.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.search.api.SearchResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./tessera search --tenant T "text" | --image FILE | --media-id ID}: asks search-api, prints a table. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Search indexed media through search-api (text, an image file, or an indexed item).")
public final class SearchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    static final class QueryKind {
        @Parameters(arity = "1", paramLabel = "TEXT", description = "a text query")
        String text;

        @Option(names = "--image", paramLabel = "FILE", description = "an image file as the query")
        Path image;

        @Option(names = "--media-id", paramLabel = "ID", description = "an indexed item as the query (more like this)")
        String mediaId;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    QueryKind query;

    @Option(names = "--tenant", description = "the tenant (must be the API key's when keys are configured)")
    String tenant;

    @Option(names = {"-k", "--top-k"}, defaultValue = "10", description = "results (default ${DEFAULT-VALUE})")
    int topK;

    @Option(names = {"-m", "--modality"}, split = ",", paramLabel = "M",
            description = "IMAGE, VIDEO, DOCUMENT, TEXT (repeatable; default all)")
    List<String> modalities;

    @Option(names = "--raw", description = "raw segment rows instead of one hit per item")
    boolean raw;

    @Option(names = "--task", description = "the model task for a text query (default: search)")
    String task;

    @Option(names = "--json", description = "print the JSON answer instead of a table")
    boolean json;

    @Option(names = "--url", defaultValue = "${env:TESSERA_SEARCH_URL:-http://127.0.0.1:8080}",
            description = "search-api (default ${DEFAULT-VALUE})")
    URI url;

    @Option(names = "--api-key", defaultValue = "${env:TESSERA_API_KEY}",
            description = "API key (default: $TESSERA_API_KEY)")
    String apiKey;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ObjectNode body = JSON.createObjectNode();
        if (query.text != null) {
            body.put("text", query.text);
        } else if (query.image != null) {
            // JSON with base64 rather than multipart: the JDK's HTTP client has no multipart writer.
            body.put("image", Base64.getEncoder().encodeToString(Files.readAllBytes(query.image)));
        } else {
            body.put("mediaId", query.mediaId);
        }
        if (tenant != null) {
            body.put("tenant", tenant);
        }
        body.put("topK", topK);
        if (modalities != null && !modalities.isEmpty()) {
            modalities.forEach(body.putArray("modalities")::add);
        }
        if (raw) {
            body.put("rawSegments", true);
        }
        if (task != null) {
            body.put("task", task);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(url.resolve("/v1/search"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        if (apiKey != null && !apiKey.isBlank()) {
            request.header("X-Api-Key", apiKey);
        }
        HttpResponse<String> response;
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // java.net.http reports a refused connection as a ConnectException without a message.
            String why = e.getMessage() != null ? e.getMessage()
                    : e instanceof java.net.ConnectException ? "connection refused" : e.getClass().getSimpleName();
            err.println("search: search-api at " + url + " did not answer (" + why
                    + "); is it running? ./tessera services up");
            return 3;
        }
        if (response.statusCode() != 200) {
            String message = response.body();
            try {
                message = JSON.readTree(response.body()).path("message").asText(message);
            } catch (IOException notJson) {
                // keep the raw body
            }
            err.println("search: " + response.statusCode() + ": " + message);
            return response.statusCode() >= 500 ? 3 : 2;
        }
        if (json) {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(response.body())));
        } else {
            out.print(ResultTable.format(JSON.readValue(response.body(), SearchResponse.class)));
        }
        out.flush();
        return 0;
    }
}
