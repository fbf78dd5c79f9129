package io.tessera.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Our own fake of the Confluent REST API on 127.0.0.1 (an ephemeral port), over {@link InMemorySchemaRegistry}, for
 * unit tests of the HTTP client: it counts and records requests, and can fail, stall or demand authentication.
 * The integration tests use the real registry instead.
 */
public final class FakeConfluentRegistry implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger failureStatus = new AtomicInteger(503);
    private final AtomicReference<String> requiredAuthorization = new AtomicReference<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean stall;

    public FakeConfluentRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public InMemorySchemaRegistry backing() {
        return registry;
    }

    /** Requests received, as "METHOD /path". */
    public List<String> requests() {
        return requests;
    }

    public List<String> authorizations() {
        return authorizations;
    }

    /** The next {@code count} requests get {@code status} with a Confluent-style error body. */
    public void failNext(int count, int status) {
        failureStatus.set(status);
        failuresLeft.set(count);
    }

    /** Every request hangs (until {@link #close}): for timeout tests. */
    public void stallEveryRequest() {
        stall = true;
    }

    /** Answer 401 unless the Authorization header is exactly this. */
    public void requireAuthorization(String header) {
        requiredAuthorization.set(header);
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            requests.add(method + " " + path);
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(auth == null ? "" : auth);
            if (stall) {
                release.await(30, TimeUnit.SECONDS);
                return;
            }
            if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                error(exchange, failureStatus.get(), failureStatus.get() * 100 + 1, "injected failure");
                return;
            }
            String required = requiredAuthorization.get();
            if (required != null && !required.equals(auth)) {
                error(exchange, 401, 40101, "Unauthorized");
                return;
            }
            route(exchange, method, path, exchange.getRequestBody().readAllBytes());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void route(HttpExchange exchange, String method, String path, byte[] body) throws IOException {
        String[] parts = path.split("/");
        try {
            if (method.equals("POST") && path.matches("/subjects/[^/]+/versions")) {
                int id = registry.register(decode(parts[2]), schema(body));
                ok(exchange, JSON.createObjectNode().put("id", id));
            } else if (method.equals("POST") && path.matches("/subjects/[^/]+")) {
                String subject = decode(parts[2]);
                Schema schema = schema(body);
                int id = registry.lookupId(subject, schema);
                ok(exchange, JSON.createObjectNode().put("subject", subject).put("id", id).put("version", 1)
                        .put("schema", schema.toString()));
            } else if (method.equals("GET") && path.matches("/schemas/ids/\\d+")) {
                ok(exchange, JSON.createObjectNode().put("schema", registry.schemaById(Integer.parseInt(parts[3])).toString()));
            } else if (method.equals("GET") && path.matches("/subjects/[^/]+/versions/latest")) {
                SchemaVersion latest = registry.latestVersion(decode(parts[2]));
                ok(exchange, JSON.createObjectNode().put("subject", latest.subject()).put("id", latest.id())
                        .put("version", latest.version()).put("schema", latest.schema().toString()));
            } else if (method.equals("POST") && path.matches("/compatibility/subjects/[^/]+/versions/latest")) {
                CompatibilityResult result = registry.checkCompatibility(decode(parts[3]), schema(body));
                ObjectNode answer = JSON.createObjectNode().put("is_compatible", result.compatible());
                result.messages().forEach(answer.putArray("messages")::add);
                ok(exchange, answer);
            } else if (method.equals("PUT") && path.equals("/config")) {
                registry.setCompatibility(level(body));
                ok(exchange, JSON.createObjectNode().put("compatibility", level(body).name()));
            } else if (method.equals("PUT") && path.matches("/config/[^/]+")) {
                registry.setCompatibility(decode(parts[2]), level(body));
                ok(exchange, JSON.createObjectNode().put("compatibility", level(body).name()));
            } else if (method.equals("GET") && path.matches("/config/[^/]+")) {
                ok(exchange, JSON.createObjectNode().put("compatibilityLevel", registry.compatibility(decode(parts[2])).name()));
            } else {
                error(exchange, 404, 404, "no route " + method + " " + path);
            }
        } catch (RegistryRequestException e) {
            error(exchange, e.httpStatus(), e.errorCode(), e.getMessage());
        } catch (SchemaParseException e) {
            error(exchange, 422, 42201, "Invalid schema: " + e.getMessage());
        }
    }

    private static Schema schema(byte[] body) throws IOException {
        return new Schema.Parser().parse(JSON.readTree(body).get("schema").asText());
    }

    private static CompatibilityLevel level(byte[] body) throws IOException {
        JsonNode tree = JSON.readTree(body);
        return CompatibilityLevel.valueOf(tree.get("compatibility").asText());
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }

    private static void ok(HttpExchange exchange, JsonNode answer) throws IOException {
        send(exchange, 200, answer.toString());
    }

    private static void error(HttpExchange exchange, int status, int code, String message) throws IOException {
        send(exchange, status, JSON.createObjectNode().put("error_code", code).put("message", message).toString());
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A short, bounded timing for tests that exercise retries. */
    public static RegistryConfig fastConfig(String url, int retries) {
        return RegistryConfig.of(url).withTiming(Duration.ofMillis(500), Duration.ofMillis(700), retries,
                Duration.ofMillis(10), Duration.ofMillis(40));
    }
}
