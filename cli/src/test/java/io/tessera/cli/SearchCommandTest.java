package io.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ./tessera search} against a stand-in for search-api: the flags it sends, what it prints, how it fails. */
class SearchCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PAGE = """
            {"model": {"name": "tessera-base", "version": 2}, "collection": "tessera_base_v2", "tenant": "acme",
             "grouped": true, "tookMs": 7, "offset": 10, "nextCursor": "next-token",
             "hits": [{"mediaId": "m-11", "modality": "IMAGE", "segment": -1, "score": 0.31,
                       "attributes": {"filename": "red.png", "color": "red"}}]}""";

    private HttpServer server;
    private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String answer = PAGE;

    private record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/search", exchange -> {
            bodies.add(JSON.readTree(exchange.getRequestBody()));
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type",
                    status == 200 ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private Run run(String... args) {
        List<String> all = new ArrayList<>(List.of("--url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "--api-key", "acme-key"));
        all.addAll(List.of(args));
        return runAt(all.toArray(String[]::new));
    }

    private static Run runAt(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new SearchCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void filtersCursorAndFusionGoToTheApiAndTheNextCursorIsPrinted() {
        Run r = run("--tenant", "acme", "-m", "IMAGE", "-k", "10", "--filter", "attributes.color = red",
                "--filter", "attributes.year >= 2020", "--filter", "indexedAt < 2027-01-01", "--fusion", "rrf",
                "--cursor", "page-2-token", "a red circle");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode sent = bodies.getFirst();
        assertThat(sent.path("text").asText()).isEqualTo("a red circle");
        assertThat(sent.path("fusion").asText()).isEqualTo("rrf");
        assertThat(sent.path("cursor").asText()).isEqualTo("page-2-token");
        assertThat(sent.path("filter").toString()).isEqualTo("[{\"attribute\":\"color\",\"eq\":\"red\"},"
                + "{\"attribute\":\"year\",\"gte\":\"2020\"},{\"field\":\"indexedAt\",\"lt\":\"2027-01-01\"}]");
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(2)).startsWith("11").contains("IMAGE", "m-11", "red.png");
        assertThat(lines.getLast()).isEqualTo("next page: --cursor next-token");
    }

    @Test
    void withoutFiltersNothingButTheQueryIsSent() {
        answer = PAGE.replace("\"nextCursor\": \"next-token\",", "");
        Run r = run("red");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(bodies.getFirst().toString()).isEqualTo("{\"text\":\"red\",\"topK\":10}");
        assertThat(r.out()).doesNotContain("next page");
    }

    @Test
    void aMalformedFilterIsRefusedBeforeAnyRequest() {
        Run r = run("--filter", "color = red", "red");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("search: filter 'color = red' must start with 'attributes.<name>'");
        assertThat(bodies).isEmpty();
    }

    @Test
    void theApisProblemIsShownReadablyWithWhatToDo() {
        status = 400;
        answer = "{\"status\":400,\"error\":\"cursor_mismatch\",\"message\":\"the cursor belongs to another search\"}";
        Run r = run("--cursor", "old", "blue");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("search: search-api refused the search (400 cursor_mismatch): the cursor"
                + " belongs to another search (a cursor only continues the search it came from");

        status = 503;
        answer = "{\"status\":503,\"error\":\"milvus_unavailable\",\"message\":\"Milvus did not answer\"}";
        r = run("blue");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).isEqualTo("search: search-api failed (503 milvus_unavailable): Milvus did not answer"
                + System.lineSeparator());
    }

    @Test
    void anUnreachableServiceSaysHowToStartIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run r = runAt("--url", "http://127.0.0.1:" + port, "red");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).isEqualTo("search: search-api at http://127.0.0.1:" + port + " refused the connection;"
                + " is it running? ./tessera services up" + System.lineSeparator());
    }
}
