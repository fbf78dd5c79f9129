package io.tessera.catalog.internal.runtime;

import io.tessera.catalog.CatalogTopics;
import io.tessera.events.KafkaConnection;
import io.tessera.retry.Fault;
import io.tessera.retry.RetryPolicy;
import io.tessera.retry.Retrying;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure every topic media-catalog touches exists before Kafka Streams starts: missing ones are created
 * (media.catalog compacted, every topic accepting records as large as the service writes), and the two inputs are
 * checked to have the same number of partitions, which the shared status store needs.
 */
final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    private final KafkaConnection kafka;
    private final String bootstrapServers;
    private final CatalogTopics topics;
    private final Optional<Integer> partitions;
    private final Optional<Short> replicationFactor;
    private final long maxMessageBytes;

    TopicProvisioner(KafkaConnection kafka, CatalogTopics topics, Optional<Integer> partitions,
                     Optional<Short> replicationFactor, long maxMessageBytes) {
        this.kafka = kafka;
        this.bootstrapServers = kafka.describe();
        this.topics = topics;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * @param create whether to create missing topics, or only to check those that exist
     * @param timeout how long to keep trying while Kafka does not answer
     * @throws IllegalStateException when Kafka does not answer in time, or the inputs are not co-partitioned
     */
    void ensureTopics(boolean create, Duration timeout) {
        Properties props = new Properties();
        props.putAll(kafka.clientConfig());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "media-catalog-topics");
        Retrying untilKafkaAnswers = Retrying.with("media-catalog-topics",
                        RetryPolicy.bounded(RetryPolicy.UNBOUNDED, Duration.ofMillis(500), Duration.ofSeconds(5), timeout))
                .classify(t -> t instanceof KafkaUnanswered ? new Fault.Transient("kafka", t.getCause()) : null)
                .beforeRetry((fault, retry, wait) -> LOG.info("Waiting for Kafka at {} to create or check topics ({})",
                        bootstrapServers, fault.cause().getMessage()))
                .build();
        try (Admin admin = Admin.create(props)) {
            untilKafkaAnswers.call(() -> {
                try {
                    if (create) {
                        createMissing(admin);
                    }
                    checkCoPartitioned(admin);
                    return null;
                } catch (ExecutionException | TimeoutException e) {
                    throw new KafkaUnanswered(e);
                }
            });
        } catch (KafkaUnanswered e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not answer within " + timeout + " ("
                    + e.getCause().getMessage() + "): start it (./tessera stack up) or set kafka.bootstrap.servers /"
                    + " KAFKA_BOOTSTRAP_SERVERS", e.getCause());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("creating or checking topics on Kafka at " + bootstrapServers + ": " + e, e);
        }
    }

    /** Kafka did not answer (or failed) one round of creating and checking topics: worth another round. */
    private static final class KafkaUnanswered extends Exception {
        KafkaUnanswered(Exception cause) {
            super(cause.getMessage(), cause);
        }
    }

    private void createMissing(Admin admin) throws ExecutionException, TimeoutException {
        Set<String> existing = get(admin.listTopics().names());
        List<NewTopic> missing = new ArrayList<>();
        for (String topic : topics.all()) {
            if (!existing.contains(topic)) {
                Map<String, String> configs = new HashMap<>();
                configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Long.toString(maxMessageBytes));
                if (topic.equals(topics.catalog())) {
                    configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
                }
                missing.add(new NewTopic(topic, partitions, replicationFactor).configs(configs));
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        var results = admin.createTopics(missing).values();
        for (var entry : results.entrySet()) {
            try {
                entry.getValue().get(10, TimeUnit.SECONDS);
                LOG.info("Created topic {}", entry.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while creating topics", e);
            }
        }
    }

    private void checkCoPartitioned(Admin admin) throws ExecutionException, TimeoutException {
        Map<String, TopicDescription> inputs = get(admin.describeTopics(List.of(topics.arrived(), topics.indexed()))
                .allTopicNames());
        int arrived = inputs.get(topics.arrived()).partitions().size();
        int indexed = inputs.get(topics.indexed()).partitions().size();
        if (arrived != indexed) {
            throw new IllegalStateException(topics.arrived() + " has " + arrived + " partition(s) but " + topics.indexed()
                    + " has " + indexed + ": media-catalog folds both into one status store by mediaId, so they must"
                    + " have the same number of partitions. Add partitions to the smaller one"
                    + " (kafka-topics --alter --partitions " + Math.max(arrived, indexed) + ") before starting.");
        }
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) throws ExecutionException, TimeoutException {
        try {
            return future.get(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while talking to Kafka", e);
        }
    }

}
