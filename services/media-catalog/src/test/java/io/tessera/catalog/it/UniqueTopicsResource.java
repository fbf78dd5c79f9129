package io.tessera.catalog.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tessera.testing.LocalStackTestResource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The local stack (see {@link LocalStackTestResource}) plus a topic prefix of this run's own, so that the service's
 * topics, consumer group and changelog never meet another test's or the demo's. The topics are deleted once the
 * application has stopped. Used by {@code @QuarkusIntegrationTest}s, which run the packaged service in its own JVM.
 */
public final class UniqueTopicsResource implements QuarkusTestResourceLifecycleManager {

    private static volatile String prefix;
    private final LocalStackTestResource stack = new LocalStackTestResource();
    private String bootstrap;

    /** This run's topic prefix, for the test to find the topics (the application gets it as configuration). */
    static String prefix() {
        return prefix;
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(stack.start());
        prefix = "it-catalog-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        bootstrap = config.get("kafka.bootstrap.servers");
        config.put("tessera.topics.prefix", prefix);
        // Two partitions, so routing and status lookups are exercised across more than one task.
        config.put("tessera.topics.partitions", "2");
        // The packaged service runs with the prod profile; the local stack's registry starts empty.
        config.put("tessera.registry.auto-register", "true");
        config.put("kafka-streams.state.dir", "target/kafka-streams-state");
        return config;
    }

    @Override
    public void stop() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            List<String> ours = admin.listTopics().names().get(10, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(prefix)).toList();
            admin.deleteTopics(ours).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("[media-catalog IT] could not delete the topics under " + prefix + ": " + e);
        }
        stack.stop();
    }
}
