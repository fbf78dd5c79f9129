package io.tessera.trainer.kafka;

import io.tessera.serde.DeserializationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.tessera.events.KafkaConnection;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads a compacted topic from the beginning into a callback, on its own thread, and keeps following it (like a
 * Kafka Streams global table, without Streams): no consumer group, no committed offsets, so every start rebuilds the
 * state from the topic. {@link #awaitCaughtUp} is the barrier a caller uses before acting on that state.
 *
 * <p>Undecodable records are logged and skipped (this topic belongs to another service, whose DLQ already has
 * them); a schema registry that is down is waited out.
 */
public final class CompactedTopicReader<V> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CompactedTopicReader.class);

    private final String topic;
    private final KafkaConsumer<String, V> consumer;
    private final BiConsumer<String, V> sink;
    private final Thread thread;
    private final Object lock = new Object();
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private volatile boolean closed;
    private volatile RuntimeException failure;

    public CompactedTopicReader(KafkaConnection kafka, String topic, Deserializer<V> valueDeserializer,
                                BiConsumer<String, V> sink, String clientId) {
        this.topic = topic;
        this.sink = sink;
        Properties p = new Properties();
        p.putAll(kafka.clientConfig());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), valueDeserializer);
        this.thread = new Thread(this::run, "reader-" + topic);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = assign();
            if (partitions == null) {
                return;
            }
            while (!closed) {
                try {
                    for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(200))) {
                        sink.accept(r.key(), r.value());
                    }
                } catch (RecordDeserializationException e) {
                    DeserializationFailure f = DeserializationFailure.from(e);
                    if (f.isTransient()) {
                        LOG.warnf("schema registry unavailable while reading %s; retrying", f.topicPartition());
                        sleep(1000);
                        continue;
                    }
                    LOG.warnf("skipping undecodable record %s@%d: %s", f.topicPartition(), f.offset(),
                            f.poisonPill().getMessage());
                    consumer.seek(f.topicPartition(), f.offset() + 1);
                }
                updatePositions(partitions);
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // close() woke us.
        } catch (RuntimeException e) {
            failure = e;
            LOG.errorf(e, "reader of %s stopped", topic);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private List<TopicPartition> assign() {
        while (!closed) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos != null && !infos.isEmpty()) {
                List<TopicPartition> partitions = new ArrayList<>();
                infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                updatePositions(partitions);
                return partitions;
            }
            // The topic does not exist yet (auto-created on first write): an empty table until it does.
            updatePositions(List.of());
            sleep(1000);
        }
        return null;
    }

    private void updatePositions(List<TopicPartition> partitions) {
        synchronized (lock) {
            for (TopicPartition tp : partitions) {
                positions.put(tp, consumer.position(tp));
            }
            lock.notifyAll();
        }
    }

    /**
     * Waits until everything written to the topic before this call has been read.
     *
     * @throws TimeoutException when that takes longer than {@code timeout}
     */
    public void awaitCaughtUp(Duration timeout, Map<TopicPartition, Long> endOffsets) throws TimeoutException,
            InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                if (failure != null) {
                    throw new IllegalStateException("reader of " + topic + " failed: " + failure.getMessage(), failure);
                }
                boolean done = true;
                for (Map.Entry<TopicPartition, Long> e : endOffsets.entrySet()) {
                    Long pos = positions.get(e.getKey());
                    if (e.getValue() > 0 && (pos == null || pos < e.getValue())) {
                        done = false;
                        break;
                    }
                }
                if (done) {
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("not caught up with " + topic + " after " + timeout + " (at " + positions
                            + ", end " + endOffsets + ")");
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    public String topic() {
        return topic;
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
