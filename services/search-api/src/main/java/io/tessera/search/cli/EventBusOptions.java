package io.tessera.search.cli;

import picocli.CommandLine.Option;

/**
 * Where events go, for the commands that publish them ({@code publish}, {@code pairs publish}): Kafka, the schema
 * registry and the topic prefix, each defaulting to the environment the services read (a picocli mixin). A secured
 * cluster's settings come from the same {@code KAFKA_*} variables as the services' ({@code KAFKA_SECURITY_PROTOCOL},
 * {@code KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_JAAS_CONFIG}, {@code KAFKA_SSL_TRUSTSTORE_*}, ...).
 */
public final class EventBusOptions {

    @Option(names = "--bootstrap-servers", defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description = "Kafka (default ${DEFAULT-VALUE})")
    String bootstrapServers;

    @Option(names = "--registry-url", defaultValue = "${env:TESSERA_REGISTRY_URL:-http://127.0.0.1:8081/apis/ccompat/v7}",
            description = "schema registry, Confluent API (default ${DEFAULT-VALUE})")
    String registryUrl;

    @Option(names = "--topic-prefix", defaultValue = "${env:TESSERA_TOPICS_PREFIX:-}",
            description = "prefix of the topic names")
    String topicPrefix;

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The servers above with the security settings of the environment: what every client of a command uses. */
    public io.tessera.events.KafkaConnection kafka() {
        return io.tessera.events.KafkaConnection.fromEnvironment(System.getenv()).withBootstrapServers(bootstrapServers);
    }

    public String registryUrl() {
        return registryUrl;
    }

    public String topicPrefix() {
        return topicPrefix;
    }
}
