package io.tessera.testing;

import io.tessera.stack.StackConfig;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** S3 clients for tests that put objects into, or read them from, the local stack's object store. */
public final class ObjectStores {

    private ObjectStores() {
    }

    /** A client of the configured stack's object store with its credentials. */
    public static S3Client client() {
        return client(StackConfig.fromEnvironment(), StackConfig.S3_SECRET_KEY);
    }

    /** A client of that stack's object store signing with the local access key and {@code secret}. */
    public static S3Client client(StackConfig config, String secret) {
        return S3Client.builder().endpointOverride(URI.create(config.s3Endpoint()))
                .region(Region.of(StackConfig.S3_REGION)).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(StackConfig.S3_ACCESS_KEY, secret)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
