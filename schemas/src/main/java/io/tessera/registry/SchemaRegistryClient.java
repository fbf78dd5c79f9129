package io.tessera.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.retry.Fault;
import io.tessera.retry.RetryPolicy;
import io.tessera.retry.Retrying;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A minimal client for the Confluent schema registry REST API, for Avro schemas.
 *
 * <p>Why our own: Confluent's client jars ({@code io.confluent:kafka-schema-registry-client}) are not published to
 * Maven Central, which is the only repository Tessera builds from. This client covers exactly what Tessera uses
 * (register, look up, fetch by id, latest version, compatibility check and configuration) and nothing more.
 * It works with any registry that implements that API: Confluent Schema Registry, Apicurio Registry
 * ({@code /apis/ccompat/v7}), Karapace, Redpanda.
 *
 * <p>Behaviour:
 * <ul>
 *   <li>Caches per process what never changes: the id of a schema under a subject and the schema of an id. After
 *       the first call for a schema, serializing and deserializing make no HTTP requests.</li>
 *   <li>Every request has a connect and a request timeout, so no call hangs. I/O errors, timeouts, HTTP 5xx, 408 and
 *       429 are retried with the shared retry policy (io.tessera.retry: exponential backoff with jitter) up to {@link RegistryConfig#maxRetries()} times,
 *       rotating over the configured URLs; then {@link RegistryUnavailableException}. An interrupt stops the
 *       retries at once (the thread's interrupt flag stays set).</li>
 *   <li>Other 4xx answers become {@link RegistryRequestException} subtypes carrying the Confluent error code.</li>
 *   <li>Basic or bearer authentication; TLS through the JVM's default SSLContext (standard JSSE settings).</li>
 * </ul>
 * Thread-safe. {@link #close()} releases the HTTP client.
 */
public final class SchemaRegistryClient implements SchemaRegistry, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryClient.class);
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryConfig config;
    private final HttpClient http;
    private final Retrying retrying;
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    /** When the registry first answered "not found" for an id (System.nanoTime), for {@link #unknownId}. */
    private final Map<Integer, Long> unknownSince = new ConcurrentHashMap<>();
    private final java.util.function.LongSupplier nanoTime;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicInteger preferredUrl = new AtomicInteger();

    public SchemaRegistryClient(RegistryConfig config) {
        this(config, System::nanoTime);
    }

    /** For tests: {@code nanoTime} is the clock the unknown-id grace is measured on. */
    SchemaRegistryClient(RegistryConfig config, java.util.function.LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        if (config.isMock()) {
            throw new IllegalArgumentException("mock:// URLs are served by InMemorySchemaRegistry, not over HTTP");
        }
        this.config = config;
        this.retrying = retrying(config);
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                // HTTP/1.1: the h2c upgrade some registries mishandle buys nothing for small JSON requests.
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The configuration this client was built from. */
    public RegistryConfig config() {
        return config;
    }

    /** How many HTTP requests this client has sent (retries included): shows that cached paths make none. */
    public long requestCount() {
        return requests.get();
    }

    @Override
    public int register(String subject, Schema schema) {
        Integer cached = cachedId(subject, schema);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
        int id = requireInt(answer, "id");
        remember(subject, schema, id);
        return id;
    }

    @Override
    public int lookupId(String subject, Schema schema) {
        Integer cached = cachedId(subject, schema);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("POST", "/subjects/" + encode(subject), schemaBody(schema));
        int id = requireInt(answer, "id");
        remember(subject, schema, id);
        return id;
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer;
        try {
            answer = send("GET", "/schemas/ids/" + id, null);
        } catch (SchemaNotFoundException e) {
            throw unknownId(id, e);
        }
        unknownSince.remove(id);
        Schema schema = parse(answer, "schema id " + id);
        schemasById.putIfAbsent(id, schema);
        return schema;
    }

    @Override
    public SchemaVersion latestVersion(String subject) {
        JsonNode answer = send("GET", "/subjects/" + encode(subject) + "/versions/latest", null);
        Schema schema = parse(answer, "subject " + subject);
        int id = requireInt(answer, "id");
        schemasById.putIfAbsent(id, schema);
        return new SchemaVersion(subject, requireInt(answer, "version"), id, schema);
    }

    @Override
    public CompatibilityResult checkCompatibility(String subject, Schema schema) {
        JsonNode answer = send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest?verbose=true",
                schemaBody(schema));
        if (!answer.has("is_compatible")) {
            throw new RegistryRequestException(200, 0, "The registry's compatibility answer has no is_compatible: " + answer);
        }
        List<String> messages = new ArrayList<>();
        answer.path("messages").forEach(m -> messages.add(m.isTextual() ? m.asText() : m.toString()));
        return new CompatibilityResult(answer.get("is_compatible").asBoolean(), messages);
    }

    @Override
    public void setCompatibility(CompatibilityLevel level) {
        send("PUT", "/config", compatibilityBody(level));
    }

    @Override
    public void setCompatibility(String subject, CompatibilityLevel level) {
        send("PUT", "/config/" + encode(subject), compatibilityBody(level));
    }

    @Override
    public CompatibilityLevel compatibility(String subject) {
        JsonNode answer;
        try {
            answer = send("GET", "/config/" + encode(subject) + "?defaultToGlobal=true", null);
        } catch (RegistryRequestException e) {
            // Registries that do not implement defaultToGlobal answer 404 for subjects without their own rule.
            if (e.httpStatus() != 404) {
                throw e;
            }
            answer = send("GET", "/config", null);
        }
        JsonNode level = answer.has("compatibilityLevel") ? answer.get("compatibilityLevel") : answer.get("compatibility");
        if (level == null || !level.isTextual()) {
            throw new RegistryRequestException(200, 0, "The registry's config answer has no compatibility level: " + answer);
        }
        return CompatibilityLevel.valueOf(level.asText());
    }

    /**
     * Deletes a subject and all its versions (soft delete, as the Confluent API does). For tests and tooling:
     * services never delete subjects.
     */
    public void deleteSubject(String subject) {
        send("DELETE", "/subjects/" + encode(subject), null);
        idsBySubject.remove(subject);
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "SchemaRegistryClient" + config.urls() + " " + config.credentials();
    }

    /**
     * A registry that has just restarted may answer "not found" for an id it will know once it has replayed its
     * store (Apicurio's KafkaSQL journal, Confluent's {@code _schemas}), and records carrying that id are fine. So
     * for {@link RegistryConfig#unknownIdGrace()} after the first such answer for an id, it is a transient failure
     * (the consumer keeps the record and retries); after that the id is taken as truly unknown.
     */
    private SchemaRegistryException unknownId(int id, SchemaNotFoundException notFound) {
        long now = nanoTime.getAsLong();
        long since = unknownSince.computeIfAbsent(id, k -> now);
        Duration waited = Duration.ofNanos(now - since);
        if (waited.compareTo(config.unknownIdGrace()) < 0) {
            return new RegistryUnavailableException("The schema registry does not know schema id " + id + " (yet): it"
                    + " may be restarting or replaying its store; retrying for up to "
                    + config.unknownIdGrace().minus(waited).toSeconds() + " s more before the record counts as"
                    + " unreadable (" + RegistryConfig.UNKNOWN_ID_GRACE_MS + ")", notFound);
        }
        return notFound;
    }

    private Integer cachedId(String subject, Schema schema) {
        Map<Schema, Integer> ids = idsBySubject.get(subject);
        return ids == null ? null : ids.get(schema);
    }

    private void remember(String subject, Schema schema, int id) {
        idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).putIfAbsent(schema, id);
        schemasById.putIfAbsent(id, schema);
    }

    private JsonNode send(String method, String path, String body) {
        List<URI> urls = config.urls();
        int first = preferredUrl.get();
        AtomicInteger attempts = new AtomicInteger();
        try {
            return retrying.get(() -> attempt(method, path, body,
                    Math.floorMod(first + attempts.getAndIncrement(), urls.size())));
        } catch (RegistryUnavailableException e) {
            if (e.getCause() instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
                throw new RegistryUnavailableException("Interrupted while waiting to retry the schema registry ("
                        + method + " " + path + ")", e);
            }
            throw new RegistryUnavailableException("Schema registry unavailable: " + method + " " + path + " failed "
                    + attempts.get() + " time(s) against " + urls + "; last problem: " + e.getMessage(),
                    e.getCause());
        }
    }

    /** One request to one URL; a failure worth retrying is a {@link RegistryUnavailableException}. */
    private JsonNode attempt(String method, String path, String body, int urlIndex) {
        URI uri = URI.create(config.urls().get(urlIndex) + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(config.requestTimeout())
                .header("Accept", CONTENT_TYPE + ", application/json");
        String authorization = config.credentials().authorizationHeader();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE);
        }
        HttpResponse<String> response;
        try {
            requests.incrementAndGet();
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RegistryUnavailableException(e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("Interrupted while calling the schema registry (" + method + " "
                    + uri + ")", e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            preferredUrl.set(urlIndex);
            return readJson(response.body(), method, uri);
        }
        if (status >= 500 || status == 408 || status == 429) {
            throw new RegistryUnavailableException("HTTP " + status + " " + abbreviate(response.body()), null);
        }
        throw refused(status, response.body(), method, uri);
    }

    /**
     * The client's retry (the shared policy, io.tessera.retry): I/O errors, timeouts, 5xx, 408 and 429 (thrown by
     * {@link #attempt} as {@link RegistryUnavailableException}) are retried, bounded by {@code maxRetries}; an
     * interrupt ends it (its cause chain holds the {@link InterruptedException}); refusals surface at once.
     */
    private static Retrying retrying(RegistryConfig config) {
        RetryPolicy policy = RetryPolicy.bounded(config.maxRetries() + 1, config.initialBackoff(),
                config.maxBackoff(), Duration.ZERO);
        return Retrying.with("schema-registry", policy)
                .classify(t -> t instanceof RegistryUnavailableException && !(t.getCause() instanceof InterruptedException)
                        ? new Fault.Transient("SCHEMA_REGISTRY", t) : null)
                .beforeRetry((fault, retry, wait) -> LOG.warn("Schema registry request failed ({}); retry {} of {} in {} ms",
                        fault.cause().getMessage(), retry, config.maxRetries(), wait.toMillis()))
                .build();
    }

    private static RegistryRequestException refused(int status, String body, String method, URI uri) {
        int code = status;
        String message = abbreviate(body);
        try {
            JsonNode error = JSON.readTree(body);
            if (error != null && error.has("error_code")) {
                code = error.get("error_code").asInt(status);
            }
            if (error != null && error.hasNonNull("message")) {
                message = error.get("message").asText();
            }
        } catch (IOException notJson) {
            // The body is not JSON (a proxy's HTML page, say): keep it as the message.
        }
        String text = "Schema registry refused " + method + " " + uri + ": " + message;
        if (status == 409) {
            return new IncompatibleSchemaException(status, code, text);
        }
        if (status == 422 && (code == 42201 || code == 422)) {
            return new InvalidSchemaException(status, code, text);
        }
        return switch (code) {
            case 40401 -> new SubjectNotFoundException(status, code, text);
            case 40402 -> new VersionNotFoundException(status, code, text);
            case 40403 -> new SchemaNotFoundException(status, code, text);
            default -> new RegistryRequestException(status, code, text);
        };
    }

    private static JsonNode readJson(String body, String method, URI uri) {
        try {
            JsonNode node = JSON.readTree(body == null || body.isEmpty() ? "{}" : body);
            return node == null ? JSON.createObjectNode() : node;
        } catch (IOException e) {
            throw new RegistryRequestException(200, 0, "Schema registry answered " + method + " " + uri
                    + " with something that is not JSON: " + abbreviate(body));
        }
    }

    private static Schema parse(JsonNode answer, String what) {
        String type = answer.path("schemaType").asText("AVRO");
        if (!"AVRO".equalsIgnoreCase(type)) {
            throw new InvalidSchemaException(200, 42201, "The registry's " + what + " is a " + type
                    + " schema; Tessera reads only Avro");
        }
        JsonNode text = answer.get("schema");
        if (text == null || !text.isTextual()) {
            throw new RegistryRequestException(200, 0, "The registry's answer for " + what + " has no schema: "
                    + abbreviate(answer.toString()));
        }
        try {
            return new Schema.Parser().parse(text.asText());
        } catch (SchemaParseException e) {
            throw new InvalidSchemaException(200, 42201, "The registry's " + what + " is not valid Avro: " + e.getMessage());
        }
    }

    private static int requireInt(JsonNode answer, String field) {
        JsonNode value = answer.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new RegistryRequestException(200, 0, "The registry's answer has no '" + field + "': "
                    + abbreviate(answer.toString()));
        }
        return value.asInt();
    }

    private static String schemaBody(Schema schema) {
        ObjectNode body = JSON.createObjectNode();
        body.put("schema", schema.toString());
        return body.toString();
    }

    private static String compatibilityBody(CompatibilityLevel level) {
        ObjectNode body = JSON.createObjectNode();
        body.put("compatibility", level.name());
        return body.toString();
    }

    private static String encode(String subject) {
        if (subject == null || subject.isEmpty()) {
            throw new IllegalArgumentException("A subject name is required");
        }
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
