package io.tessera.cli;

import picocli.CommandLine.Option;

/**
 * Where events go, for the commands that publish them ({@code publish}, {@code pairs publish}): Kafka, the schema
 * registry and the topic prefix, each defaulting to the environment the services read (a picocli mixin). A secured
 * cluster's settings come from the same {@code KAFKA_*} variables as the services' ({@code KAFKA_SECURITY_PROTOCOL},
 * {@code KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_JAAS_CONFIG}, {@code KAFKA_SSL_TRUSTSTORE_*}, ...).
 */
public final class EventBusOptions {

    @Option(names = "--bootstrap-servers", defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS}",
            description = "Kafka (default: KAFKA_BOOTSTRAP_SERVERS, else the local stack's, 127.0.0.1:<TESSERA_KAFKA_PORT"
                    + " or 9092>)")
    String bootstrapServers;

    @Option(names = "--registry-url", defaultValue = "${env:TESSERA_REGISTRY_URL}",
            description = "schema registry, Confluent API (default: TESSERA_REGISTRY_URL, else the local stack's,"
                    + " http://127.0.0.1:<TESSERA_REGISTRY_PORT or 8081>/apis/ccompat/v7)")
    String registryUrl;

    @Option(names = "--topic-prefix", defaultValue = "${env:TESSERA_TOPICS_PREFIX:-}",
            description = "prefix of the topic names")
    String topicPrefix;

    public String bootstrapServers() {
        return bootstrapServers != null && !bootstrapServers.isBlank() ? bootstrapServers
                : "127.0.0.1:" + env("TESSERA_KAFKA_PORT", "9092");
    }

    /** The servers above with the security settings of the environment: what every client of a command uses. */
    public io.tessera.events.KafkaConnection kafka() {
        return io.tessera.events.KafkaConnection.fromEnvironment(System.getenv()).withBootstrapServers(bootstrapServers());
    }

    public String registryUrl() {
        return registryUrl != null && !registryUrl.isBlank() ? registryUrl
                : "http://127.0.0.1:" + env("TESSERA_REGISTRY_PORT", "8081") + "/apis/ccompat/v7";
    }

    /**
     * A variable of the environment, else {@code fallback}. The defaults follow the local stack's port variables
     * (the ones {@code ./tessera stack up} reads), so a stack on other ports needs no extra option here.
     */
    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    public String topicPrefix() {
        return topicPrefix;
    }
}
