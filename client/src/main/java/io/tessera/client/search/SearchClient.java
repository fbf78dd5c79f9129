package io.tessera.client.search;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tessera.client.api.Problem;
import io.tessera.client.api.SearchQuery;
import io.tessera.client.api.SearchResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * search-api's {@code POST /v1/search} from Java, with the request and answer types the service itself uses
 * ({@link SearchQuery}, {@link SearchResponse}). Thread-safe; one client per search-api address.
 *
 * <pre>{@code
 * try (SearchClient client = SearchClient.builder(URI.create("http://127.0.0.1:8080")).apiKey(key).build()) {
 *     SearchQuery query = SearchQuery.text("a red circle").withFilter(List.of(Filters.parse("attributes.color = red")));
 *     for (SearchResponse page = client.search(query); page != null; page = client.nextPage(query, page).orElse(null)) {
 *         page.hits().forEach(hit -> System.out.println(hit.mediaId()));
 *     }
 * }
 * }</pre>
 */
public final class SearchClient implements AutoCloseable {

    /** The header search-api reads the API key from. */
    public static final String API_KEY_HEADER = "X-Api-Key";

    private static final ObjectMapper JSON = JsonMapper.builder()
            // Fields a newer search-api adds are not this client's concern.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // search-api refuses unknown fields, so nothing but what the query sets is sent.
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private final URI base;
    private final String apiKey;
    private final Duration requestTimeout;
    private final HttpClient http;

    private SearchClient(Builder b) {
        this.base = b.base;
        this.apiKey = b.apiKey;
        this.requestTimeout = b.requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(b.connectTimeout).build();
    }

    /** @param baseUrl where search-api answers, e.g. {@code http://127.0.0.1:8080} */
    public static Builder builder(URI baseUrl) {
        return new Builder(baseUrl);
    }

    public URI baseUrl() {
        return base;
    }

    /**
     * One page of results.
     *
     * @throws SearchApiException when search-api answers with an error (a 4xx says what to change in the query)
     * @throws IOException        when search-api cannot be reached or does not answer in time
     */
    public SearchResponse search(SearchQuery query) throws IOException, InterruptedException {
        return JSON.readValue(searchJson(query), SearchResponse.class);
    }

    /**
     * The page after {@code page} of the same {@code query}; empty on the last page.
     *
     * @throws SearchApiException as {@link #search}; a cursor of a collection that a new model version replaced
     *                            in the meantime is a 400 {@code cursor_stale}: start again from the first page
     */
    public Optional<SearchResponse> nextPage(SearchQuery query, SearchResponse page)
            throws IOException, InterruptedException {
        if (page.nextCursor() == null) {
            return Optional.empty();
        }
        return Optional.of(search(query.withCursor(page.nextCursor())));
    }

    /** The answer's JSON as search-api sent it, for callers that print or store it whole. */
    public String searchJson(SearchQuery query) throws IOException, InterruptedException {
        Objects.requireNonNull(query, "query");
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/v1/search"))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(query)));
        if (apiKey != null) {
            request.header(API_KEY_HEADER, apiKey);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            // java.net.http reports a refused connection without a message.
            throw new ConnectException("search-api at " + base + " refused the connection"
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        }
        if (response.statusCode() != 200) {
            throw error(response.statusCode(), response.body());
        }
        return response.body();
    }

    /** An error answer: search-api's problem JSON when it is one, else the start of whatever came back. */
    static SearchApiException error(int status, String body) {
        try {
            JsonNode tree = JSON.readTree(body);
            if (tree != null && tree.path("error").isTextual()) {
                Problem problem = new Problem(status, tree.path("error").asText(), tree.path("message").asText(""));
                return new SearchApiException(problem);
            }
        } catch (IOException notJson) {
            // not search-api's problem JSON: a proxy's page, a wrong URL
        }
        String text = body == null ? "" : body.strip();
        return new SearchApiException(new Problem(status, null,
                text.isEmpty() ? "(no body)" : text.length() > 300 ? text.substring(0, 297) + "..." : text));
    }

    @Override
    public void close() {
        http.close();
    }

    public static final class Builder {
        private final URI base;
        private String apiKey;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(60);

        private Builder(URI base) {
            Objects.requireNonNull(base, "baseUrl");
            if (!"http".equalsIgnoreCase(base.getScheme()) && !"https".equalsIgnoreCase(base.getScheme())) {
                throw new IllegalArgumentException("search-api's URL must be http(s)://host:port, was " + base);
            }
            this.base = base;
        }

        /** The caller's API key; null or blank when search-api runs without keys. */
        public Builder apiKey(String key) {
            this.apiKey = key == null || key.isBlank() ? null : key;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** The whole budget of one search: encoding the query, Milvus, grouping. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public SearchClient build() {
            return new SearchClient(this);
        }
    }
}
