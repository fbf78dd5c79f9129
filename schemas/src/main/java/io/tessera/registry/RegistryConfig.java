package io.tessera.registry;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach a schema registry: base URL(s), credentials, timeouts and the retry bound.
 *
 * <p>{@link #fromProperties} reads the same keys as Confluent's serializers, so a Kafka client configuration
 * written for Confluent works unchanged:
 * <ul>
 *   <li>{@value #URL}: one or more base URLs, comma-separated (tried in turn on transient failures),
 *       for example {@code http://127.0.0.1:8081/apis/ccompat/v7}; {@code mock://scope} for an in-memory registry</li>
 *   <li>{@value #BASIC_AUTH_CREDENTIALS_SOURCE}: {@code USER_INFO} (the default) reads {@value #BASIC_AUTH_USER_INFO}
 *       ({@code user:password}); {@code URL} takes them from the URL's user info</li>
 *   <li>{@value #BEARER_AUTH_CREDENTIALS_SOURCE} ({@code STATIC_TOKEN}) with {@value #BEARER_AUTH_TOKEN}</li>
 *   <li>{@value #CONNECT_TIMEOUT_MS}, {@value #REQUEST_TIMEOUT_MS}, {@value #MAX_RETRIES},
 *       {@value #RETRY_BACKOFF_MS}, {@value #RETRY_MAX_BACKOFF_MS}</li>
 * </ul>
 * TLS uses the JVM's default {@code SSLContext}: set trust and key stores with the standard
 * {@code javax.net.ssl.*} system properties.
 *
 * @param urls base URLs of the registry's Confluent API, tried in order
 * @param credentials how requests authenticate
 * @param connectTimeout bound on opening a connection
 * @param requestTimeout bound on each request, from sending it to the whole answer
 * @param maxRetries how many times a transient failure is retried (so at most {@code maxRetries + 1} attempts)
 * @param initialBackoff the wait before the first retry; it doubles with every retry
 * @param maxBackoff the cap of that wait
 */
public record RegistryConfig(List<URI> urls, Credentials credentials, Duration connectTimeout, Duration requestTimeout,
                             int maxRetries, Duration initialBackoff, Duration maxBackoff, Duration unknownIdGrace) {

    public static final String URL = "schema.registry.url";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String BEARER_AUTH_CREDENTIALS_SOURCE = "bearer.auth.credentials.source";
    public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
    public static final String CONNECT_TIMEOUT_MS = "schema.registry.connect.timeout.ms";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    public static final String MAX_RETRIES = "schema.registry.max.retries";
    public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";
    public static final String RETRY_MAX_BACKOFF_MS = "schema.registry.retry.max.backoff.ms";
    /**
     * How long a schema id the registry answers "not found" for is treated as the registry not being ready yet
     * (restarting, replaying its store) rather than as a record that can never be read: until then the read is
     * a transient failure (retried), afterwards a poison pill (dead-lettered). 0 turns the grace off.
     */
    public static final String UNKNOWN_ID_GRACE_MS = "schema.registry.unknown.id.grace.ms";

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_RETRIES = 3;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(2);
    public static final Duration DEFAULT_UNKNOWN_ID_GRACE = Duration.ofSeconds(60);

    /** The URL scheme of the in-memory registry ({@code mock://<scope>}), as in Confluent's serializers. */
    public static final String MOCK_SCHEME = "mock";

    public RegistryConfig {
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("At least one schema registry URL is required (" + URL + ")");
        }
        Objects.requireNonNull(credentials, "credentials");
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(requestTimeout, "requestTimeout");
        requirePositive(initialBackoff, "initialBackoff");
        requirePositive(maxBackoff, "maxBackoff");
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be 0 or more, was " + maxRetries);
        }
        Objects.requireNonNull(unknownIdGrace, "unknownIdGrace");
        if (unknownIdGrace.isNegative()) {
            throw new IllegalArgumentException("unknownIdGrace must be 0 or more, was " + unknownIdGrace);
        }
    }

    /** A configuration for one URL with no credentials and the default timeouts and retries. */
    public static RegistryConfig of(String url) {
        return fromProperties(Map.of(URL, url));
    }

    /** This configuration with other credentials. */
    public RegistryConfig withCredentials(Credentials newCredentials) {
        return new RegistryConfig(urls, newCredentials, connectTimeout, requestTimeout, maxRetries, initialBackoff,
                maxBackoff, unknownIdGrace);
    }

    /** This configuration with other timeouts and retries. */
    public RegistryConfig withTiming(Duration connect, Duration request, int retries, Duration backoff, Duration maxWait) {
        return new RegistryConfig(urls, credentials, connect, request, retries, backoff, maxWait, unknownIdGrace);
    }

    /** This configuration with another grace for schema ids the registry does not know (yet). */
    public RegistryConfig withUnknownIdGrace(Duration grace) {
        return new RegistryConfig(urls, credentials, connectTimeout, requestTimeout, maxRetries, initialBackoff,
                maxBackoff, grace);
    }

    /** Whether this configuration names the in-memory registry ({@code mock://scope}). */
    public boolean isMock() {
        return MOCK_SCHEME.equals(urls.get(0).getScheme());
    }

    /**
     * Reads the Confluent-style keys above from a Kafka client configuration (values may be strings, as SmallRye
     * passes them, or numbers).
     *
     * @throws IllegalArgumentException naming the key to set when a value is missing or malformed
     */
    public static RegistryConfig fromProperties(Map<String, ?> props) {
        String rawUrls = string(props, URL);
        if (rawUrls == null || rawUrls.isBlank()) {
            throw new IllegalArgumentException("'" + URL + "' is not set: give the schema registry's Confluent API base URL,"
                    + " for example http://127.0.0.1:8081/apis/ccompat/v7 (with Quarkus: kafka." + URL
                    + "=... in application.properties applies it to every channel)");
        }
        List<URI> urls = new ArrayList<>();
        String urlUserInfo = null;
        for (String part : rawUrls.split(",")) {
            String trimmed = part.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            URI uri;
            try {
                uri = URI.create(trimmed);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + URL + "' has a malformed URL '" + trimmed + "': " + e.getMessage(), e);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals(MOCK_SCHEME)) {
                throw new IllegalArgumentException("'" + URL + "' must use http, https or mock, was '" + trimmed + "'");
            }
            if (uri.getRawUserInfo() != null) {
                urlUserInfo = URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8);
                uri = URI.create(scheme + "://" + uri.getRawAuthority().substring(uri.getRawAuthority().indexOf('@') + 1)
                        + (uri.getRawPath() == null ? "" : uri.getRawPath()));
            }
            urls.add(stripTrailingSlash(uri));
        }
        return new RegistryConfig(urls, credentials(props, urlUserInfo),
                Duration.ofMillis(positiveLong(props, CONNECT_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT.toMillis())),
                Duration.ofMillis(positiveLong(props, REQUEST_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT.toMillis())),
                (int) nonNegativeLong(props, MAX_RETRIES, DEFAULT_MAX_RETRIES),
                Duration.ofMillis(positiveLong(props, RETRY_BACKOFF_MS, DEFAULT_INITIAL_BACKOFF.toMillis())),
                Duration.ofMillis(positiveLong(props, RETRY_MAX_BACKOFF_MS, DEFAULT_MAX_BACKOFF.toMillis())),
                Duration.ofMillis(nonNegativeLong(props, UNKNOWN_ID_GRACE_MS, DEFAULT_UNKNOWN_ID_GRACE.toMillis())));
    }

    private static Credentials credentials(Map<String, ?> props, String urlUserInfo) {
        String basicSource = string(props, BASIC_AUTH_CREDENTIALS_SOURCE);
        String userInfo = string(props, BASIC_AUTH_USER_INFO);
        String bearerSource = string(props, BEARER_AUTH_CREDENTIALS_SOURCE);
        String token = string(props, BEARER_AUTH_TOKEN);
        boolean bearer = token != null && !token.isEmpty();
        if (bearerSource != null && !bearerSource.isEmpty() && !"STATIC_TOKEN".equalsIgnoreCase(bearerSource)) {
            throw new IllegalArgumentException("'" + BEARER_AUTH_CREDENTIALS_SOURCE + "' supports only STATIC_TOKEN, was '"
                    + bearerSource + "'");
        }
        if ("STATIC_TOKEN".equalsIgnoreCase(bearerSource) && !bearer) {
            throw new IllegalArgumentException("'" + BEARER_AUTH_CREDENTIALS_SOURCE + "' is STATIC_TOKEN but '"
                    + BEARER_AUTH_TOKEN + "' is not set");
        }
        String basic = null;
        if (basicSource == null || basicSource.isEmpty() || "USER_INFO".equalsIgnoreCase(basicSource)) {
            basic = userInfo != null && !userInfo.isEmpty() ? userInfo : urlUserInfo;
        } else if ("URL".equalsIgnoreCase(basicSource)) {
            if (urlUserInfo == null) {
                throw new IllegalArgumentException("'" + BASIC_AUTH_CREDENTIALS_SOURCE + "' is URL but '" + URL
                        + "' has no user:password@ part");
            }
            basic = urlUserInfo;
        } else {
            throw new IllegalArgumentException("'" + BASIC_AUTH_CREDENTIALS_SOURCE + "' supports USER_INFO or URL, was '"
                    + basicSource + "'");
        }
        if (basic != null && bearer) {
            throw new IllegalArgumentException("Both basic auth ('" + BASIC_AUTH_USER_INFO + "' or the URL) and '"
                    + BEARER_AUTH_TOKEN + "' are set: choose one");
        }
        if (bearer) {
            return new Credentials.Bearer(token);
        }
        if (basic != null) {
            int colon = basic.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("'" + BASIC_AUTH_USER_INFO + "' must be user:password");
            }
            return new Credentials.Basic(basic.substring(0, colon), basic.substring(colon + 1));
        }
        return Credentials.NONE;
    }

    private static URI stripTrailingSlash(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : uri;
    }

    private static String string(Map<String, ?> props, String key) {
        Object value = props.get(key);
        return value == null ? null : value.toString().trim();
    }

    private static long positiveLong(Map<String, ?> props, String key, long defaultValue) {
        long value = nonNegativeLong(props, key, defaultValue);
        if (value == 0) {
            throw new IllegalArgumentException("'" + key + "' must be greater than 0");
        }
        return value;
    }

    private static long nonNegativeLong(Map<String, ?> props, String key, long defaultValue) {
        String raw = string(props, key);
        if (raw == null || raw.isEmpty()) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(raw);
            if (value < 0) {
                throw new NumberFormatException("negative");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + key + "' must be a non-negative whole number, was '" + raw + "'", e);
        }
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + d);
        }
    }

    /** How requests to the registry authenticate. {@code toString()} never shows a secret. */
    public sealed interface Credentials {

        Credentials NONE = new None();

        /** The value of the HTTP Authorization header, or null for none. */
        String authorizationHeader();

        /** No authentication. */
        record None() implements Credentials {
            @Override
            public String authorizationHeader() {
                return null;
            }
        }

        /** HTTP basic authentication. */
        record Basic(String user, String password) implements Credentials {
            public Basic {
                Objects.requireNonNull(user, "user");
                Objects.requireNonNull(password, "password");
            }

            @Override
            public String authorizationHeader() {
                return "Basic " + java.util.Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public String toString() {
                return "Basic[user=" + user + ", password=***]";
            }
        }

        /** A static bearer token (for example an OAuth access token). */
        record Bearer(String token) implements Credentials {
            public Bearer {
                Objects.requireNonNull(token, "token");
            }

            @Override
            public String authorizationHeader() {
                return "Bearer " + token;
            }

            @Override
            public String toString() {
                return "Bearer[***]";
            }
        }
    }
}
