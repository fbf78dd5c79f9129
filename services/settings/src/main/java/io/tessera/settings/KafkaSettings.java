package io.tessera.settings;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code tessera.kafka.*}: how a service consumes. Where the cluster is and how to reach it securely is not here but
 * in {@code kafka.*} ({@code KAFKA_BOOTSTRAP_SERVERS}, {@code KAFKA_SECURITY_PROTOCOL}, ...), the names Quarkus and
 * SmallRye Reactive Messaging read, turned into every client's settings by {@code io.tessera.events.KafkaConnection}.
 */
@ConfigMapping(prefix = "tessera.kafka")
public interface KafkaSettings {

    /** Consumer group; default {@code tessera-<service>}. */
    Optional<String> groupId();

    /** Records per poll. */
    @WithDefault("256")
    int pollRecords();

    /** Unfinished records at which partitions pause. */
    @WithDefault("512")
    int maxInFlight();

    @WithDefault("200ms")
    Duration commitInterval();

    /** Extra Kafka client properties (tuning) for a service's own consumers and producers; security is in kafka.*. */
    Map<String, String> client();
}
