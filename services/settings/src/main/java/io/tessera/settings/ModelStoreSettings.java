package io.tessera.settings;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.util.Optional;

/** {@code tessera.model-store.*}: where model versions are published and kept, the same keys in every service. */
@ConfigMapping(prefix = "tessera.model-store")
public interface ModelStoreSettings {

    /**
     * The object store that versions are published to and downloaded from, {@code s3://bucket/prefix/}. Empty: the
     * local directory is the store (one machine, or a volume every pod mounts). Set: that directory is the checked
     * local cache ({@link ModelsDirSettings#dir()}).
     */
    Optional<URI> uri();

    S3 s3();

    /** How to reach an S3-compatible store. */
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
}
