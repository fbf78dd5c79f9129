package io.tessera.settings;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;
import java.util.Optional;

/** {@code tessera.topics.*}: how every service names and creates Tessera's Kafka topics. */
@ConfigMapping(prefix = "tessera.topics")
public interface TopicSettings {

    /** Put in front of every topic name (and Kafka Streams application id), for deployments sharing a cluster. */
    Optional<String> prefix();

    /** Partitions of topics a service creates; the broker's default when unset. */
    Optional<Integer> partitions();

    /** Replication factor of topics a service creates; the broker's default when unset. */
    Optional<Integer> replicationFactor();

    /** Whether missing topics are created at start (media-catalog creates them, media.catalog compacted). */
    @io.smallrye.config.WithDefault("true")
    boolean create();

    /** How long start-up waits for Kafka to answer before giving up. */
    @io.smallrye.config.WithDefault("PT60S")
    Duration setupTimeout();

    /** The prefix, empty when none. */
    default String prefixOrEmpty() {
        return prefix().orElse("");
    }
}
