package io.tessera.cli;

import io.tessera.client.publish.ObjectStoreTarget;
import java.net.URI;
import picocli.CommandLine.Option;

/**
 * Where {@code publish} puts files too large to travel inside an event: an S3-compatible bucket (by default the
 * local stack's object store, which the services started by {@code ./tessera services up} read), each setting
 * defaulting to the environment variable the services read for the same store (a picocli mixin).
 */
public final class ObjectStoreOptions {

    @Option(names = "--s3-endpoint", defaultValue = "${env:TESSERA_FETCH_S3_ENDPOINT}",
            description = "S3-compatible endpoint for large files (default: TESSERA_FETCH_S3_ENDPOINT, else the local"
                    + " stack's, http://127.0.0.1:<TESSERA_S3_PORT or 8333>)")
    String endpoint;

    @Option(names = "--s3-bucket", defaultValue = "${env:TESSERA_PUBLISH_S3_BUCKET:-tessera}",
            description = "bucket large files are uploaded to (default ${DEFAULT-VALUE})")
    String bucket;

    @Option(names = "--s3-region", defaultValue = "${env:TESSERA_FETCH_S3_REGION:-us-east-1}",
            description = "signing region (default ${DEFAULT-VALUE})")
    String region;

    @Option(names = "--s3-access-key", defaultValue = "${env:TESSERA_FETCH_S3_ACCESS_KEY:-tessera}",
            description = "access key (default: the local stack's)")
    String accessKey;

    @Option(names = "--s3-secret-key", defaultValue = "${env:TESSERA_FETCH_S3_SECRET_KEY:-tessera-local-secret}",
            description = "secret key (default: the local stack's)", arity = "1")
    String secretKey;

    public URI endpoint() {
        return URI.create(endpoint != null && !endpoint.isBlank() ? endpoint
                : "http://127.0.0.1:" + EventBusOptions.env("TESSERA_S3_PORT", "8333"));
    }

    /** Where the client library uploads to. */
    public ObjectStoreTarget target() {
        return new ObjectStoreTarget(endpoint(), bucket, region, accessKey, secretKey);
    }
}
