package io.tessera.rollout.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a whole (compacted) topic from its beginning and then follows it, without a consumer group: every process
 * sees every record, and nothing is committed (state is rebuilt from the topic at each start). Partitions that
 * appear later, or the topic itself, are picked up on the next refresh. {@link #caughtUp()} completes once the
 * records that were in the topic when the reader started have been handed over.
 */
public final class CompactedTopicReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CompactedTopicReader.class);
    private static final Duration REFRESH = Duration.ofSeconds(5);

    private final String topic;
    private final Consumer<ConsumerRecord<byte[], byte[]>> handler;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean closed;
    private Map<TopicPartition, Long> initialEnds;

    public CompactedTopicReader(String topic, Map<String, Object> kafka, String clientId,
                                Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        this.topic = topic;
        this.handler = handler;
        Properties p = new Properties();
        p.putAll(kafka);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = Thread.ofPlatform().daemon().name("rollout-read-" + topic).unstarted(this::run);
    }

    public CompactedTopicReader start() {
        thread.start();
        return this;
    }

    public CompletableFuture<Void> caughtUp() {
        return caughtUp;
    }

    private void run() {
        Set<TopicPartition> assigned = new HashSet<>();
        long nextRefresh = 0;
        try {
            while (!closed) {
                if (System.nanoTime() >= nextRefresh) {
                    refresh(assigned);
                    nextRefresh = System.nanoTime() + REFRESH.toNanos();
                }
                if (assigned.isEmpty()) {
                    sleep(200);
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        handler.accept(r);
                    } catch (InterruptException | WakeupException e) {
                        throw e;
                    } catch (RuntimeException e) {
                        LOG.warn("skipping {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.toString());
                    }
                }
                checkCaughtUp(assigned);
            }
        } catch (WakeupException | InterruptException e) {
            // Closing.
        } catch (RuntimeException e) {
            LOG.error("reading {} stopped: {}", topic, e.toString(), e);
            caughtUp.completeExceptionally(e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void refresh(Set<TopicPartition> assigned) {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        } catch (org.apache.kafka.common.KafkaException e) {
            LOG.debug("cannot list the partitions of {} yet: {}", topic, e.toString());
            return;
        }
        List<TopicPartition> added = new ArrayList<>();
        for (PartitionInfo i : infos == null ? List.<PartitionInfo>of() : infos) {
            TopicPartition tp = new TopicPartition(i.topic(), i.partition());
            if (!assigned.contains(tp)) {
                added.add(tp);
            }
        }
        if (initialEnds == null) {
            // A topic that does not exist yet holds nothing: caught up at once.
            initialEnds = new HashMap<>(added.isEmpty() ? Map.of() : consumer.endOffsets(added));
        }
        if (!added.isEmpty()) {
            assigned.addAll(added);
            consumer.assign(assigned);
            consumer.seekToBeginning(added);
        }
        checkCaughtUp(assigned);
    }

    private void checkCaughtUp(Set<TopicPartition> assigned) {
        if (caughtUp.isDone() || initialEnds == null) {
            return;
        }
        for (Map.Entry<TopicPartition, Long> e : initialEnds.entrySet()) {
            if (!assigned.contains(e.getKey()) || consumer.position(e.getKey()) < e.getValue()) {
                return;
            }
        }
        caughtUp.complete(null);
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        caughtUp.completeExceptionally(new IllegalStateException("reader of " + topic + " closed"));
    }
}
