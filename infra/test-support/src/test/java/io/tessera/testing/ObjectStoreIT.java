package io.tessera.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.stack.StackConfig;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
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
        try (S3Client s3 = ObjectStores.client(config, StackConfig.S3_SECRET_KEY)) {
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


    @Test
    void wrongCredentialsAreRefused(StackEndpoints ignored) {
        StackConfig config = StackConfig.fromEnvironment();
        try (S3Client stranger = ObjectStores.client(config, "wrong")) {
            S3Exception refused = assertThrows(S3Exception.class,
                    () -> stranger.listObjectsV2(b -> b.bucket(StackConfig.S3_BUCKET)));
            assertEquals(403, refused.statusCode());
        }
    }
}
