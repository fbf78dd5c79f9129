package io.tessera.client.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.tessera.client.api.SearchQuery;
import io.tessera.client.api.SearchResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a stand-in for search-api that records requests and plays back canned answers. */
class SearchClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PAGE = """
            {"model": {"name": "tessera-base", "version": 2}, "collection": "tessera_base_v2", "tenant": "acme",
             "query": "red", "grouped": true, "tookMs": 7, "offset": %d, %s
             "hits": [{"mediaId": "m-1", "modality": "IMAGE", "segment": -1, "score": 0.31, "newField": true}]}""";

    private HttpServer server;
    private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    private final List<String> keys = new CopyOnWriteArrayList<>();
    private final Deque<Object[]> answers = new ArrayDeque<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/search", exchange -> {
            bodies.add(JSON.readTree(exchange.getRequestBody()));
            keys.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-Api-Key")));
            Object[] answer = answers.removeFirst();
            byte[] body = ((String) answer[1]).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", (String) answer[2]);
            exchange.sendResponseHeaders((int) answer[0], body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private SearchClient client() {
        return SearchClient.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .apiKey("acme-key").build();
    }

    private void answer(int status, String body, String type) {
        answers.add(new Object[] {status, body, type});
    }

    @Test
    void sendsOnlyWhatTheQuerySetsAndFollowsTheCursorToTheLastPage() throws Exception {
        answer(200, PAGE.formatted(0, "\"nextCursor\": \"c-2\","), "application/json");
        answer(200, PAGE.formatted(1, ""), "application/json");
        SearchQuery query = new SearchQuery("red", null, null, "acme", List.of("IMAGE"), 1, null, null, null, "rrf")
                .withFilter(List.of(Filters.parse("attributes.color = red"), Filters.parse("attributes.year >= 2020")));
        try (SearchClient client = client()) {
            SearchResponse first = client.search(query);
            assertThat(first.hits()).singleElement().satisfies(h -> assertThat(h.mediaId()).isEqualTo("m-1"));
            assertThat(first.nextCursor()).isEqualTo("c-2");
            SearchResponse second = client.nextPage(query, first).orElseThrow();
            assertThat(second.offset()).isEqualTo(1);
            assertThat(client.nextPage(query, second)).isEmpty();
        }
        assertThat(bodies).hasSize(2);
        assertThat(bodies.get(0).toString()).isEqualTo("{\"text\":\"red\",\"tenant\":\"acme\",\"modalities\":[\"IMAGE\"],"
                + "\"topK\":1,\"fusion\":\"rrf\",\"filter\":[{\"attribute\":\"color\",\"eq\":\"red\"},"
                + "{\"attribute\":\"year\",\"gte\":\"2020\"}]}");
        assertThat(bodies.get(1).path("cursor").asText()).isEqualTo("c-2");
        assertThat(keys).containsOnly("acme-key");
    }

    @Test
    void aProblemAnswerBecomesAnExceptionWithItsCodeAndMessage() {
        answer(400, "{\"status\":400,\"error\":\"invalid_filter\",\"message\":\"filter[0]: 'soon' is neither a"
                + " number nor an ISO-8601 time\"}", "application/problem+json");
        try (SearchClient client = client()) {
            assertThatThrownBy(() -> client.search(SearchQuery.text("red")))
                    .isInstanceOfSatisfying(SearchApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.isClientError()).isTrue();
                        assertThat(e.problem().error()).isEqualTo("invalid_filter");
                        assertThat(e.getMessage()).isEqualTo("search-api answered 400 invalid_filter: filter[0]:"
                                + " 'soon' is neither a number nor an ISO-8601 time");
                    });
        }
    }

    @Test
    void anErrorThatIsNotSearchApisIsShownAsItCame() {
        answer(502, "<html>Bad Gateway</html>", "text/html");
        try (SearchClient client = client()) {
            assertThatThrownBy(() -> client.search(SearchQuery.text("red")))
                    .isInstanceOfSatisfying(SearchApiException.class, e -> {
                        assertThat(e.isClientError()).isFalse();
                        assertThat(e.problem().error()).isNull();
                        assertThat(e.getMessage()).isEqualTo("search-api answered 502: <html>Bad Gateway</html>");
                    });
        }
    }

    @Test
    void aRefusedConnectionNamesTheAddress() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (SearchClient client = SearchClient.builder(URI.create("http://127.0.0.1:" + port)).build()) {
            assertThatThrownBy(() -> client.search(SearchQuery.text("red"))).isInstanceOf(ConnectException.class)
                    .hasMessageContaining("search-api at http://127.0.0.1:" + port + " refused the connection");
        }
    }

    @Test
    void onlyHttpAddressesAreTaken() {
        assertThatThrownBy(() -> SearchClient.builder(URI.create("ftp://host/")))
                .hasMessageContaining("must be http(s)://host:port");
    }
}
