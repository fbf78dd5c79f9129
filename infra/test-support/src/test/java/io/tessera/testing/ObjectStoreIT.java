package io.tessera.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.stack.StackConfig;
import java.net.URI;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The local stack's object store through a plain S3 client: large objects round-trip, errors are S3's. */
@ExtendWith(LocalStackExtension.class)
class ObjectStoreIT {

    @Test
    void aFiveMegabyteObjectRoundTripsAndIsListed(StackEndpoints ignored) {
        StackConfig config = StackConfig.fromEnvironment();
        byte[] body = new byte[5 * 1024 * 1024];
        new Random(5).nextBytes(body);
        String key = "it/" + UUID.randomUUID() + "/video.bin";
        try (S3Client s3 = client(config, StackConfig.S3_SECRET_KEY)) {
            s3.putObject(b -> b.bucket(StackConfig.S3_BUCKET).key(key).contentType("application/octet-stream"),
                    RequestBody.fromBytes(body));
            assertArrayEquals(body, s3.getObjectAsBytes(b -> b.bucket(StackConfig.S3_BUCKET).key(key)).asByteArray());
            assertEquals(body.length, s3.headObject(b -> b.bucket(StackConfig.S3_BUCKET).key(key)).contentLength());
            assertTrue(s3.listObjectsV2(b -> b.bucket(StackConfig.S3_BUCKET).prefix(key)).contents().stream()
                    .anyMatch(o -> o.key().equals(key)));
            assertThrows(NoSuchKeyException.class,
                    () -> s3.getObjectAsBytes(b -> b.bucket(StackConfig.S3_BUCKET).key(key + ".missing")));
            s3.deleteObject(b -> b.bucket(StackConfig.S3_BUCKET).key(key));
        }
    }

    private static S3Client client(StackConfig config, String secret) {
        return S3Client.builder().endpointOverride(URI.create(config.s3Endpoint()))
                .region(Region.of(StackConfig.S3_REGION)).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(StackConfig.S3_ACCESS_KEY, secret)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Test
    void wrongCredentialsAreRefused(StackEndpoints ignored) {
        StackConfig config = StackConfig.fromEnvironment();
        try (S3Client stranger = client(config, "wrong")) {
            S3Exception refused = assertThrows(S3Exception.class,
                    () -> stranger.listObjectsV2(b -> b.bucket(StackConfig.S3_BUCKET)));
            assertEquals(403, refused.statusCode());
        }
    }
}
