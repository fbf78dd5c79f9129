package io.tessera.search.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.tessera.media.FetchConfig;
import io.tessera.media.FetchedContent;
import io.tessera.media.MediaDecoder;
import io.tessera.media.MediaRejectedException;
import io.tessera.media.MediaSource;
import io.tessera.media.RejectReason;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.tessera.settings.FetchSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * search-api's content settings for {@code s3://} references ({@code tessera.fetch.s3.*}) against a stand-in for an
 * S3-compatible store (path-style GETs, as SeaweedFS is spoken to): the reference is read with the configured
 * credentials through the media library's fetcher, the same code the indexers use, and only from allowed buckets.
 * The real store is exercised by SearchPageIT (a video kept in the local stack's SeaweedFS).
 */
class S3ContentFetchTest {

    private static final byte[] VIDEO = "not really a video, but bytes all the same".getBytes(StandardCharsets.UTF_8);

    private HttpServer store;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startStore() throws Exception {
        store = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        store.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            if (exchange.getRequestURI().getPath().equals("/media/clips/a.mp4")) {
                exchange.getResponseHeaders().add("Content-Type", "video/mp4");
                exchange.sendResponseHeaders(200, VIDEO.length);
                exchange.getResponseBody().write(VIDEO);
            } else {
                byte[] body = "<Error><Code>NoSuchKey</Code></Error>".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/xml");
                exchange.sendResponseHeaders(404, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        store.start();
    }

    @AfterEach
    void stopStore() {
        store.stop(0);
    }

    @Test
    void readsAnAllowedBucketWithTheConfiguredCredentials() throws Exception {
        FetchConfig fetch = SearchProducers.contentFetch(fetch(List.of("media"), "tessera", "secret-key"), 1 << 20);
        try (MediaDecoder decoder = new MediaDecoder(fetch)) {
            FetchedContent content = decoder.fetch(MediaSource.reference("s3://media/clips/a.mp4", (long) VIDEO.length,
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(VIDEO))));
            assertThat(content.bytes()).isEqualTo(VIDEO);
            assertThat(content.contentType()).contains("video/mp4");
        }
        assertThat(requests).singleElement().satisfies(r -> assertThat(r)
                .startsWith("GET /media/clips/a.mp4 AWS4-HMAC-SHA256 Credential=tessera/"));
    }

    @Test
    void aBucketOutsideTheListIsNeverAsked() throws Exception {
        FetchConfig fetch = SearchProducers.contentFetch(fetch(List.of("media"), "tessera", "secret-key"), 1 << 20);
        try (MediaDecoder decoder = new MediaDecoder(fetch)) {
            assertThatThrownBy(() -> decoder.fetch(MediaSource.reference("s3://private/clips/a.mp4")))
                    .isInstanceOfSatisfying(MediaRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(RejectReason.URI_NOT_ALLOWED));
            assertThatThrownBy(() -> decoder.fetch(MediaSource.reference("s3://media/clips/missing.mp4")))
                    .isInstanceOfSatisfying(MediaRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(RejectReason.NOT_FOUND));
        }
        assertThat(requests).singleElement().satisfies(r -> assertThat(r).startsWith("GET /media/clips/missing.mp4 "));
    }

    @Test
    void withoutBucketsNoS3ContentIsRead() throws Exception {
        FetchConfig fetch = SearchProducers.contentFetch(fetch(List.of(), null, null), 1 << 20);
        assertThat(fetch.allowedSchemes()).doesNotContain("s3");
        try (MediaDecoder decoder = new MediaDecoder(fetch)) {
            assertThatThrownBy(() -> decoder.fetch(MediaSource.reference("s3://media/clips/a.mp4")))
                    .isInstanceOfSatisfying(MediaRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(RejectReason.URI_NOT_ALLOWED));
        }
        assertThat(requests).isEmpty();
    }

    @Test
    void halfACredentialIsAConfigurationErrorNamingTheKeys() {
        assertThatThrownBy(() -> SearchProducers.contentFetch(fetch(List.of("media"), "tessera", null), 1 << 20))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tessera.fetch.s3");
    }

    /** tessera.fetch.* as search-api's configuration gives it: the store of this test and the buckets given. */
    private FetchSettings fetch(List<String> buckets, String accessKey, String secretKey) {
        Map<String, String> values = new HashMap<>(Map.of("tessera.fetch.s3.endpoint", "http://127.0.0.1:"
                + store.getAddress().getPort(), "tessera.fetch.s3.region", "us-east-1"));
        if (!buckets.isEmpty()) {
            values.put("tessera.fetch.s3.buckets", String.join(",", buckets));
        }
        if (accessKey != null) {
            values.put("tessera.fetch.s3.access-key", accessKey);
        }
        if (secretKey != null) {
            values.put("tessera.fetch.s3.secret-key", secretKey);
        }
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(values, "test", 500))
                .withConverter(java.time.Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withMapping(FetchSettings.class).build().getConfigMapping(FetchSettings.class);
    }
}
