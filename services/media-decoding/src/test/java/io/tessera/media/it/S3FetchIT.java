package io.tessera.media.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.media.FetchConfig;
import io.tessera.media.FetchedContent;
import io.tessera.media.MediaRejectedException;
import io.tessera.media.MediaSource;
import io.tessera.media.RejectReason;
import io.tessera.media.TransientMediaException;
import io.tessera.media.internal.ContentFetcher;
import io.tessera.stack.StackConfig;
import io.tessera.testing.LocalStackExtension;
import io.tessera.testing.ObjectStores;
import io.tessera.testing.StackEndpoints;
import java.net.ServerSocket;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code s3://} references against the local stack's object store (SeaweedFS): content, limits and every failure. */
@ExtendWith(LocalStackExtension.class)
class S3FetchIT {

    private static final StackConfig STACK = StackConfig.fromEnvironment();
    private static final String KEY = "s3-fetch-it/" + UUID.randomUUID() + "/clip.bin";
    private static byte[] body;

    @BeforeAll
    static void upload(StackEndpoints ignored) {
        body = new byte[5 * 1024 * 1024];
        new Random(3).nextBytes(body);
        try (S3Client s3 = ObjectStores.client()) {
            s3.putObject(b -> b.bucket(StackConfig.S3_BUCKET).key(KEY), RequestBody.fromBytes(body));
        }
    }

    private static FetchConfig.S3Access access(String endpoint, String secret, Set<String> buckets) {
        return new FetchConfig.S3Access(Optional.of(URI.create(endpoint)), StackConfig.S3_REGION, true,
                Optional.of(StackConfig.S3_ACCESS_KEY), Optional.of(secret), buckets);
    }

    private static FetchedContent fetch(FetchConfig config, String uri, String sha256) throws Exception {
        try (ContentFetcher fetcher = new ContentFetcher(config)) {
            return fetcher.fetch(new MediaSource.Reference(uri, OptionalLong.empty(), Optional.ofNullable(sha256)));
        }
    }

    private static FetchConfig config(FetchConfig.S3Access access) {
        return FetchConfig.builder().s3(access).requestTimeout(Duration.ofSeconds(10)).build();
    }

    private static final String URI_OF_KEY = "s3://" + StackConfig.S3_BUCKET + "/" + KEY;

    @Test
    void anAllowedObjectIsFetchedWhole() throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        FetchedContent content = fetch(config(access(STACK.s3Endpoint(), StackConfig.S3_SECRET_KEY,
                Set.of(StackConfig.S3_BUCKET))), URI_OF_KEY, sha);
        assertThat(content.bytes()).isEqualTo(body);
        assertThat(content.sha256()).isEqualTo(sha);
    }

    @Test
    void everyFailureIsNamedAndClassified() throws Exception {
        FetchConfig.S3Access good = access(STACK.s3Endpoint(), StackConfig.S3_SECRET_KEY, Set.of(StackConfig.S3_BUCKET));
        assertThatThrownBy(() -> fetch(config(good), URI_OF_KEY + ".missing", null))
                .isInstanceOfSatisfying(MediaRejectedException.class, e -> assertThat(e.reason()).isEqualTo(RejectReason.NOT_FOUND));
        assertThatThrownBy(() -> fetch(config(access(STACK.s3Endpoint(), StackConfig.S3_SECRET_KEY, Set.of("other"))),
                URI_OF_KEY, null))
                .isInstanceOfSatisfying(MediaRejectedException.class, e -> assertThat(e.reason()).isEqualTo(RejectReason.URI_NOT_ALLOWED))
                .hasMessageContaining("bucket 'tessera'");
        assertThatThrownBy(() -> fetch(config(access(STACK.s3Endpoint(), "wrong-secret", Set.of(StackConfig.S3_BUCKET))),
                URI_OF_KEY, null))
                .isInstanceOfSatisfying(MediaRejectedException.class, e -> assertThat(e.reason()).isEqualTo(RejectReason.ACCESS_DENIED));
        assertThatThrownBy(() -> fetch(config(good).toBuilder().maxBytes(1024 * 1024).build(), URI_OF_KEY, null))
                .isInstanceOfSatisfying(MediaRejectedException.class, e -> assertThat(e.reason()).isEqualTo(RejectReason.TOO_LARGE));
        assertThatThrownBy(() -> fetch(config(good), URI_OF_KEY, "0".repeat(64)))
                .isInstanceOfSatisfying(MediaRejectedException.class, e -> assertThat(e.reason()).isEqualTo(RejectReason.CHECKSUM_MISMATCH));
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertThatThrownBy(() -> fetch(config(access("http://127.0.0.1:" + closed, StackConfig.S3_SECRET_KEY,
                Set.of(StackConfig.S3_BUCKET))), URI_OF_KEY, null))
                .isInstanceOf(TransientMediaException.class);
    }
}
