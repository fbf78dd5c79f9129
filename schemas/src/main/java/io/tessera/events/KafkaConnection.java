package io.tessera.events;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * How every Tessera Kafka client reaches the cluster: bootstrap servers plus the security settings (SASL, TLS), read
 * from one place, the {@code kafka.*} properties ({@code KAFKA_*} in the environment), the names Quarkus and SmallRye
 * Reactive Messaging use for their Kafka channels. Producers, consumers, admin clients and Kafka Streams
 * applications of every service and of the command line build their configuration from this, so a secured cluster
 * needs its settings once, not once per client.
 *
 * @param bootstrapServers {@code host:port,...}
 * @param security         {@code security.protocol} and every SASL/SSL client setting given (Kafka's own names)
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> security) {

    /** The property prefix of the one place: {@code kafka.bootstrap.servers}, {@code kafka.security.protocol}, ... */
    public static final String PREFIX = "kafka.";
    public static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";

    /**
     * The client settings that concern connecting securely: {@code security.protocol} and every SSL and SASL client
     * setting Kafka defines (taken from Kafka's own definitions, so a new one needs no change here).
     */
    public static final Set<String> SECURITY_KEYS;

    static {
        java.util.TreeSet<String> keys = new java.util.TreeSet<>(new ConfigDef().withClientSslSupport()
                .withClientSaslSupport().names());
        keys.add(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG);
        SECURITY_KEYS = java.util.Collections.unmodifiableSortedSet(keys);
    }

    public KafkaConnection {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("kafka.bootstrap.servers (KAFKA_BOOTSTRAP_SERVERS) is empty");
        }
        security = java.util.Collections.unmodifiableMap(new TreeMap<>(security));
    }

    /** No security: a local or otherwise trusted broker. */
    public static KafkaConnection plaintext(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, Map.of());
    }

    /**
     * From configuration: {@code lookup} answers a property name such as {@code kafka.security.protocol} (a
     * MicroProfile Config lookup does, finding {@code KAFKA_SECURITY_PROTOCOL} too).
     */
    public static KafkaConnection from(Function<String, Optional<String>> lookup) {
        Map<String, String> security = new LinkedHashMap<>();
        for (String key : SECURITY_KEYS) {
            lookup.apply(PREFIX + key).filter(v -> !v.isBlank()).ifPresent(v -> security.put(key, v));
        }
        return new KafkaConnection(lookup.apply(PREFIX + CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
                .filter(v -> !v.isBlank()).orElse(DEFAULT_BOOTSTRAP), security);
    }

    /** From environment variables in the Quarkus form ({@code KAFKA_SASL_JAAS_CONFIG} for kafka.sasl.jaas.config). */
    public static KafkaConnection fromEnvironment(Map<String, String> env) {
        return from(property -> Optional.ofNullable(env.get(environmentName(property))));
    }

    /** The environment variable that sets a property: upper case, every other character than a letter or digit '_'. */
    public static String environmentName(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** This connection with other servers (the same security). */
    public KafkaConnection withBootstrapServers(String servers) {
        return new KafkaConnection(servers, security);
    }

    /** Bootstrap servers and security, as a Kafka client's configuration. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new LinkedHashMap<>(security);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }

    /** {@link #clientConfig()} plus the client's own settings (group id, serializers, ...), which win on a clash. */
    public Map<String, Object> clientConfig(Map<String, ?> own) {
        Map<String, Object> config = clientConfig();
        config.putAll(own);
        return config;
    }

    public boolean secured() {
        return !security.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT")
                .equalsIgnoreCase("PLAINTEXT");
    }

    /** For logs: servers, protocol and mechanism, never a secret. */
    public String describe() {
        if (!secured()) {
            return bootstrapServers;
        }
        return bootstrapServers + " (" + security.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG)
                + Optional.ofNullable(security.get(SaslConfigs.SASL_MECHANISM)).map(m -> ", " + m).orElse("") + ")";
    }

    @Override
    public String toString() {
        return "KafkaConnection[" + describe() + "]";
    }
}
