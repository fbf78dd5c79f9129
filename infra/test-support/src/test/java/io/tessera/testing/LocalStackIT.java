package io.tessera.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.stack.StackConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalStackExtension.class)
class LocalStackIT {

    @Test
    void injectedEndpointsAreTheConfiguredStackAndItAnswers(StackEndpoints stack) {
        StackConfig config = StackConfig.fromEnvironment();
        assertEquals(new StackEndpoints(config.kafkaBootstrap(), config.registryUrl(), config.milvusUri()), stack);
        assertTrue(LocalStack.answering(config));
    }

    @Test
    void concurrentCallersShareOneStack() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<StackEndpoints>> all = pool.invokeAll(java.util.Collections.nCopies(8, (Callable<StackEndpoints>) LocalStack::endpoints));
            for (Future<StackEndpoints> f : all) {
                assertTrue(f.get() == LocalStack.endpoints(), "one instance per JVM");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void quarkusResourcePointsKafkaRegistryAndMilvusAtTheStack(StackEndpoints stack) {
        Map<String, String> config = new LocalStackTestResource().start();
        assertEquals(stack.kafkaBootstrap(), config.get("kafka.bootstrap.servers"));
        assertEquals(stack.registryUrl(), config.get("mp.messaging.connector.smallrye-kafka.schema.registry.url"));
        assertEquals(stack.milvusUri(), config.get("tessera.milvus.uri"));
        assertEquals("false", config.get("quarkus.kafka.devservices.enabled"));
    }
}
