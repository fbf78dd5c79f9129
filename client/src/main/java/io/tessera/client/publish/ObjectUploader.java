package io.tessera.client.publish;

import java.nio.file.Path;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Uploads large files for {@link MediaPublisher} under content-addressed keys ({@code media/<tenant>/<sha256>/<name>}):
 * publishing the same file again finds the object already there and uploads nothing.
 */
final class ObjectUploader implements AutoCloseable {

    private final S3Client s3;
    private final String bucket;

    ObjectUploader(ObjectStoreTarget target) {
        this.bucket = target.bucket();
        var builder = S3Client.builder()
                .region(Region.of(target.region()))
                .forcePathStyle(true)
                .credentialsProvider(target.accessKey() != null
                        ? StaticCredentialsProvider.create(AwsBasicCredentials.create(target.accessKey(),
                                target.secretKey()))
                        : DefaultCredentialsProvider.builder().build())
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofMinutes(2)).build());
        if (target.endpoint() != null) {
            builder.endpointOverride(target.endpoint());
        }
        this.s3 = builder.build();
    }

    /** Returns the object's {@code s3://} URI, uploading the file unless an object of its size is there. */
    String upload(Path file, String tenant, String sha256, long size) {
        String key = "media/" + tenant + "/" + sha256 + "/" + safeName(file.getFileName().toString());
        try {
            if (s3.headObject(b -> b.bucket(bucket).key(key)).contentLength() == size) {
                return uri(key);
            }
        } catch (NoSuchKeyException absent) {
            // upload it
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
        }
        s3.putObject(b -> b.bucket(bucket).key(key).contentLength(size), RequestBody.fromFile(file));
        return uri(key);
    }

    private String uri(String key) {
        return "s3://" + bucket + "/" + key;
    }

    /** Keeps the name readable in the bucket while leaving out what would need escaping in a URI. */
    static String safeName(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() ? "content" : safe;
    }

    @Override
    public void close() {
        s3.close();
    }
}
