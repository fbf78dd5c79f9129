package io.tessera.media;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Where content may be fetched from and how much of it. Immutable; build it once from the service's
 * configuration. The defaults allow nothing remote and no files: every root and host is an explicit decision.
 *
 * @param maxBytes       the most bytes any content may have, inline or fetched (checked before and while reading)
 * @param connectTimeout how long to wait for an HTTP connection
 * @param requestTimeout the whole budget of one HTTP fetch, headers and body included
 * @param fileRoots      directories under which {@code file:} references may point (real paths; symlinks resolved)
 * @param allowedHosts   host names or {@code host:port} entries that {@code http(s):} references may use (lower case)
 * @param allowedSchemes schemes references may use: a subset of {@code file}, {@code http}, {@code https}, {@code s3}
 * @param maxRedirects   redirects followed per fetch; each target must pass the same allowlist
 * @param s3             how {@code s3://bucket/key} references are read, and from which buckets
 */
public record FetchConfig(long maxBytes, Duration connectTimeout, Duration requestTimeout, List<Path> fileRoots,
                          Set<String> allowedHosts, Set<String> allowedSchemes, int maxRedirects, S3Access s3) {

    /**
     * An S3-compatible store ({@code s3://bucket/key} references): AWS itself when no endpoint is given.
     *
     * @param endpoint  the store's URL (SeaweedFS, Ceph RGW, ...); empty for AWS S3 in {@code region}
     * @param region    the signing region
     * @param pathStyle path-style requests ({@code endpoint/bucket/key}), as most S3-compatible servers want
     * @param accessKey with {@code secretKey}: static credentials; both empty: the AWS default chain
     *                  (environment, web identity on Kubernetes, instance profile)
     * @param buckets   the buckets references may name; empty: no S3 references at all
     */
    public record S3Access(java.util.Optional<java.net.URI> endpoint, String region, boolean pathStyle,
                           java.util.Optional<String> accessKey, java.util.Optional<String> secretKey,
                           Set<String> buckets) {

        public S3Access {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(accessKey, "accessKey");
            Objects.requireNonNull(secretKey, "secretKey");
            if (accessKey.isPresent() != secretKey.isPresent()) {
                throw new IllegalArgumentException("give both the S3 access key and the secret key, or neither (then"
                        + " the AWS default credentials chain applies)");
            }
            buckets = Set.copyOf(buckets);
        }

        /** No S3 references. */
        public static S3Access none() {
            return new S3Access(java.util.Optional.empty(), "us-east-1", true, java.util.Optional.empty(),
                    java.util.Optional.empty(), Set.of());
        }
    }

    /** The largest byte array a JVM reliably allocates. */
    public static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    public static final Set<String> SUPPORTED_SCHEMES = Set.of("file", "http", "https", "s3");

    public FetchConfig {
        if (maxBytes <= 0 || maxBytes > MAX_ARRAY_BYTES) {
            throw new IllegalArgumentException("maxBytes must be in [1, " + MAX_ARRAY_BYTES + "] (content is held in"
                    + " one byte array), was " + maxBytes);
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(requestTimeout, "requestTimeout");
        if (maxRedirects < 0) {
            throw new IllegalArgumentException("maxRedirects must not be negative, was " + maxRedirects);
        }
        Objects.requireNonNull(s3, "s3");
        fileRoots = fileRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        allowedHosts = Set.copyOf(allowedHosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList());
        allowedSchemes = Set.copyOf(allowedSchemes.stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).toList());
        for (String scheme : allowedSchemes) {
            if (!SUPPORTED_SCHEMES.contains(scheme)) {
                throw new IllegalArgumentException("unsupported scheme '" + scheme + "' in allowedSchemes; supported: "
                        + SUPPORTED_SCHEMES);
            }
        }
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }

    /** Inline content only: no files, no hosts, 64 MiB. */
    public static FetchConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder().maxBytes(maxBytes).connectTimeout(connectTimeout).requestTimeout(requestTimeout)
                .maxRedirects(maxRedirects).s3(s3);
        b.fileRoots.addAll(fileRoots);
        b.allowedHosts.addAll(allowedHosts);
        b.allowedSchemes.clear();
        b.allowedSchemes.addAll(allowedSchemes);
        return b;
    }

    public static final class Builder {
        private long maxBytes = 64L << 20;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private final List<Path> fileRoots = new ArrayList<>();
        private final Set<String> allowedHosts = new LinkedHashSet<>();
        private final Set<String> allowedSchemes = new LinkedHashSet<>(List.of("file", "http", "https", "s3"));
        private int maxRedirects = 3;
        private S3Access s3 = S3Access.none();

        private Builder() {
        }

        public Builder maxBytes(long maxBytes) {
            this.maxBytes = maxBytes;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        public Builder fileRoot(Path root) {
            fileRoots.add(Objects.requireNonNull(root, "root"));
            return this;
        }

        public Builder fileRoots(List<Path> roots) {
            fileRoots.clear();
            fileRoots.addAll(roots);
            return this;
        }

        /** A host name (any port) or {@code host:port} (that port only). */
        public Builder allowHost(String host) {
            allowedHosts.add(Objects.requireNonNull(host, "host"));
            return this;
        }

        public Builder allowedHosts(Set<String> hosts) {
            allowedHosts.clear();
            allowedHosts.addAll(hosts);
            return this;
        }

        public Builder allowedSchemes(Set<String> schemes) {
            allowedSchemes.clear();
            allowedSchemes.addAll(schemes);
            return this;
        }

        public Builder maxRedirects(int maxRedirects) {
            this.maxRedirects = maxRedirects;
            return this;
        }

        public Builder s3(S3Access access) {
            this.s3 = Objects.requireNonNull(access, "access");
            return this;
        }

        public FetchConfig build() {
            return new FetchConfig(maxBytes, connectTimeout, requestTimeout, fileRoots, allowedHosts, allowedSchemes,
                    maxRedirects, s3);
        }
    }
}
