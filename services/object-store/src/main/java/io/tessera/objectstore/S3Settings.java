package io.tessera.objectstore;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * How to reach an S3-compatible store: AWS itself when no endpoint is given, else SeaweedFS, MinIO, Ceph RGW, ...
 *
 * @param endpoint  the store's URL; empty for AWS S3 in {@code region}
 * @param region    the signing region
 * @param pathStyle path-style requests ({@code endpoint/bucket/key}), as most S3-compatible servers want
 * @param accessKey with {@code secretKey}: static credentials; both empty: the AWS default chain (environment,
 *                  web identity on Kubernetes, instance profile)
 */
public record S3Settings(Optional<URI> endpoint, String region, boolean pathStyle, Optional<String> accessKey,
                         Optional<String> secretKey) {

    /** The connection {@code tessera.model-store.s3.*} (or {@code tessera.fetch.s3.*}) describes. */
    public static S3Settings of(io.tessera.settings.ModelStoreSettings.S3 s3) {
        return new S3Settings(s3.endpoint(), s3.region(), s3.pathStyle(), s3.accessKey(), s3.secretKey());
    }

    public S3Settings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(region, "region");
        accessKey = accessKey.filter(k -> !k.isBlank());
        secretKey = secretKey.filter(k -> !k.isBlank());
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw new IllegalArgumentException("give both the S3 access key and the secret key, or neither (then the"
                    + " AWS default credentials chain applies)");
        }
    }

    /** A client with these settings. Its own retries are off: callers classify faults and retry with back-off. */
    public S3Client newClient(Duration connectTimeout, Duration requestTimeout) {
        AwsCredentialsProvider credentials = accessKey.isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey.get(), secretKey.get()))
                : DefaultCredentialsProvider.builder().build();
        var builder = S3Client.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .forcePathStyle(pathStyle)
                .overrideConfiguration(o -> o.apiCallTimeout(requestTimeout)
                        .retryStrategy(AwsRetryStrategy.doNotRetry()))
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(connectTimeout)
                        .socketTimeout(requestTimeout).build());
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** For logs: where, never the secret. */
    public String describe() {
        return endpoint.map(URI::toString).orElse("AWS S3 " + region);
    }
}
