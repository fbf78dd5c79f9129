package io.tessera.client.publish;

import java.net.URI;
import java.util.Objects;

/**
 * The S3-compatible bucket that files too large for an event are uploaded to; the indexers read them back as
 * {@code s3://bucket/key} references, so this must be the store and bucket they allow ({@code tessera.fetch.s3.*}).
 *
 * @param endpoint  the store's URL (SeaweedFS, MinIO, Ceph RGW, ...); null for AWS S3 in {@code region}
 * @param bucket    where files go, under {@code media/<tenant>/<sha256>/<name>}
 * @param region    the signing region
 * @param accessKey with {@code secretKey}: static credentials; both null: the AWS default credentials chain
 */
public record ObjectStoreTarget(URI endpoint, String bucket, String region, String accessKey, String secretKey) {

    public ObjectStoreTarget {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("an object store target needs a bucket");
        }
        Objects.requireNonNull(region, "region");
        accessKey = accessKey == null || accessKey.isBlank() ? null : accessKey;
        secretKey = secretKey == null || secretKey.isBlank() ? null : secretKey;
        if ((accessKey == null) != (secretKey == null)) {
            throw new IllegalArgumentException("give both the S3 access key and the secret key, or neither (then the"
                    + " AWS default credentials chain applies)");
        }
    }

    /** For messages: where, never the secret. */
    public String describe() {
        return (endpoint != null ? endpoint.toString() : "AWS S3 " + region) + " bucket " + bucket;
    }
}
