package io.tessera.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * For {@code @QuarkusTest} / {@code @QuarkusIntegrationTest}:
 * {@code @QuarkusTestResource(value = LocalStackTestResource.class, restrictToAnnotatedClass = true)}.
 * Returns only configuration overrides pointing the application at the local stack (see {@link LocalStack});
 * the stack is shared with every other test class of the JVM and outlives this resource.
 */
public final class LocalStackTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        StackEndpoints stack = LocalStack.endpoints();
        String registryRoot = stack.registryUrl().replace("/apis/ccompat/v7", "");
        return Map.ofEntries(
                Map.entry("kafka.bootstrap.servers", stack.kafkaBootstrap()),
                Map.entry("quarkus.kafka-streams.bootstrap-servers", stack.kafkaBootstrap()),
                Map.entry("quarkus.kafka.devservices.enabled", "false"),
                Map.entry("quarkus.apicurio-registry.devservices.enabled", "false"),
                // Confluent-compatible serdes (what Tessera's wire format uses).
                Map.entry("mp.messaging.connector.smallrye-kafka.schema.registry.url", stack.registryUrl()),
                // Apicurio's own serdes, should a service use them.
                Map.entry("mp.messaging.connector.smallrye-kafka.apicurio.registry.url", registryRoot + "/apis/registry/v3"),
                Map.entry("tessera.registry.url", stack.registryUrl()),
                Map.entry("tessera.milvus.uri", stack.milvusUri()));
    }

    @Override
    public void stop() {
        // The stack is shared across test classes; LocalStack stops what it started when the JVM exits.
    }
}
