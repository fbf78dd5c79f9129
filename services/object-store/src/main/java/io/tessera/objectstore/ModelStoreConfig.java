package io.tessera.objectstore;

import io.smallrye.config.WithDefault;
import java.net.URI;
import java.util.Optional;

/**
 * {@code tessera.model-store.*}: where model versions are published, the same keys in every service that serves or
 * trains models (each embeds this in its {@code @ConfigMapping} as {@code modelStore()}).
 */
public interface ModelStoreConfig {

    /**
     * The object store that versions are published to and downloaded from, {@code s3://bucket/prefix/}. Empty: the
     * local model directory is the store (one machine, or a volume every pod mounts). Set: that directory is the
     * checked local cache.
     */
    Optional<URI> uri();

    S3 s3();

    /** How to reach the object store. */
    interface S3 {
        /** The S3-compatible endpoint (SeaweedFS, MinIO, Ceph RGW); empty: AWS S3 in {@link #region()}. */
        Optional<URI> endpoint();

        @WithDefault("us-east-1")
        String region();

        /** Path-style requests (endpoint/bucket/key), as most S3-compatible servers want. */
        @WithDefault("true")
        boolean pathStyle();

        /** With the secret key: static credentials; neither: the AWS default chain (IRSA, instance profile). */
        Optional<String> accessKey();

        Optional<String> secretKey();
    }

    /** The connection settings as the object-store library takes them. */
    static S3Settings settings(ModelStoreConfig config) {
        S3 s3 = config.s3();
        return new S3Settings(s3.endpoint(), s3.region(), s3.pathStyle(), s3.accessKey(), s3.secretKey());
    }
}
