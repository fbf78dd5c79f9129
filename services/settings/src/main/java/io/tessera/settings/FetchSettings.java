package io.tessera.settings;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code tessera.fetch.*}: which content references a service may read and how: the indexers to index them,
 * search-api to show them (thumbnails, the content endpoint), the trainer to train on them. One set of keys, so that
 * what the indexers could index is what search-api can show.
 */
@ConfigMapping(prefix = "tessera.fetch")
public interface FetchSettings {

    /** Directories {@code file:} references may point into; none = no files. */
    Optional<List<Path>> fileRoots();

    /** Hosts ({@code host} or {@code host:port}) {@code http(s):} references may use; none = no remote content. */
    Optional<List<String>> allowedHosts();

    @WithDefault("file,http,https,s3")
    List<String> allowedSchemes();

    @WithDefault("5s")
    Duration connectTimeout();

    @WithDefault("30s")
    Duration requestTimeout();

    S3 s3();

    /** {@code s3://bucket/key} references: one S3-compatible store, connected as the model store is, plus the buckets. */
    interface S3 extends ModelStoreSettings.S3 {
        /** The buckets references may name; none: no S3 references are read. */
        Optional<List<String>> buckets();
    }
}
