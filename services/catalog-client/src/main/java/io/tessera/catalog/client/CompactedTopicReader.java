package io.tessera.catalog.client;

import io.tessera.events.KafkaConnection;
import io.tessera.retry.Fault;
import io.tessera.retry.RetryPolicy;
import io.tessera.retry.Retrying;
import io.tessera.serde.PoisonPillException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a whole compacted topic from its beginning into a handler, on its own thread, and keeps following it. No
 * consumer group and nothing committed: every process sees every record and rebuilds its state at each start.
 * Partitions that appear later, or the topic itself, are picked up within {@value #REFRESH_SECONDS} s.
 *
 * <p>A plain consumer rather than a Kafka Streams GlobalKTable: a table would cost every reader a Streams runtime, a
 * state directory and a copy of every value (inline media included), and give neither the "caught up with what is
 * there now" barrier the trainer needs nor the from-the-beginning cursor a backfill needs.
 */
public final class CompactedTopicReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CompactedTopicReader.class);
    private static final int REFRESH_SECONDS = 5;
    private static final Duration POLL = Duration.ofMillis(500);
    /** Kafka unreachable or a partition moving: the table must catch up eventually, so reading never gives up. */
    private static final RetryPolicy READ_RETRY = RetryPolicy.unbounded(Duration.ofMillis(200), Duration.ofSeconds(5));
    /** Anything but a poison pill is the registry being unavailable (restarting, replaying its journal). */
    private static final Retrying UNTIL_READ = Retrying.with("compacted-topic-read",
                    RetryPolicy.unbounded(Duration.ofMillis(200), Duration.ofSeconds(5)))
            .classify(t -> t instanceof PoisonPillException ? new Fault.Poison("UNREADABLE", t.getMessage(), t)
                    : t instanceof RuntimeException ? new Fault.Transient("SCHEMA_REGISTRY", t) : null)
            .beforeRetry((fault, retry, wait) -> {
                if (retry % 20 == 0) {
                    LOG.warn("still cannot read a record after {} retries: {}", retry, fault);
                }
            })
            .build();

    private final String topic;
    private final Consumer<ConsumerRecord<byte[], byte[]>> handler;
    private final Function<String, org.apache.kafka.clients.consumer.Consumer<byte[], byte[]>> consumers;
    private final org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer;
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    /** Where the reader is, once the records before have been handed over; notified after every poll. */
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile String lastError;
    private Map<TopicPartition, Long> initialEnds;
    private org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> lookup;

    /**
     * @param kafka    the connection (bootstrap servers and SASL/TLS security)
     * @param clientId the consumer's client id; its lookup consumer (offsets, reading one record back) adds "-lookup"
     * @param handler  called on the reader thread with every record, in offset order per partition; a handler that
     *                 throws has that record logged and skipped
     */
    public CompactedTopicReader(KafkaConnection kafka, String topic, String clientId,
                                Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        this(topic, handler, suffix -> new KafkaConsumer<>(kafka.clientConfig(config(clientId + suffix)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer()));
    }

    CompactedTopicReader(String topic, Consumer<ConsumerRecord<byte[], byte[]>> handler,
                         Function<String, org.apache.kafka.clients.consumer.Consumer<byte[], byte[]>> consumers) {
        this.topic = topic;
        this.handler = handler;
        this.consumers = consumers;
        this.consumer = consumers.apply("");
        this.thread = Thread.ofPlatform().daemon().name("compacted-read-" + topic).unstarted(this::run);
    }

    private static Map<String, Object> config(String clientId) {
        Map<String, Object> own = new HashMap<>();
        own.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        own.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        own.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Only committed records: an aborted write of the catalog's Streams app is no version of an item.
        own.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        own.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        // Catalog records may carry inline media up to the topic's message size.
        own.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
        return own;
    }

    public CompactedTopicReader start() {
        thread.start();
        return this;
    }

    public String topic() {
        return topic;
    }

    /** Completes once the records that were in the topic when the reader started have been handed over. */
    public CompletableFuture<Void> caughtUp() {
        return caughtUp;
    }

    /**
     * Waits until every record written to the topic before this call has been handed over: the barrier before acting
     * on state built from the topic.
     *
     * @throws TimeoutException when that takes longer than {@code timeout}
     */
    public void awaitCaughtUp(Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> ends = withLookup(c -> {
            List<TopicPartition> partitions = partitions(c, timeout);
            return partitions.isEmpty() ? Map.<TopicPartition, Long>of() : c.endOffsets(partitions, timeout);
        });
        synchronized (positions) {
            while (!reached(ends)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    String error = lastError;
                    throw new TimeoutException("not caught up with " + topic + " after " + timeout + " (at " + positions
                            + ", end " + ends + ")" + (error == null ? "" : ": " + error));
                }
                positions.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Runs {@code f} on this reader's second consumer (never the reader thread's), created on first use. */
    synchronized <T> T withLookup(Function<org.apache.kafka.clients.consumer.Consumer<byte[], byte[]>, T> f) {
        if (lookup == null) {
            lookup = consumers.apply("-lookup");
        }
        return f.apply(lookup);
    }

    List<TopicPartition> partitions(org.apache.kafka.clients.consumer.Consumer<?, ?> c, Duration timeout) {
        List<PartitionInfo> infos = c.partitionsFor(topic, timeout);
        List<TopicPartition> out = new ArrayList<>();
        for (PartitionInfo i : infos == null ? List.<PartitionInfo>of() : infos) {
            out.add(new TopicPartition(topic, i.partition()));
        }
        return out;
    }

    /** Whether every partition with records has been handed over up to {@code ends}. */
    boolean reached(Map<TopicPartition, Long> ends) {
        synchronized (positions) {
            for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
                Long at = positions.get(e.getKey());
                if (e.getValue() > 0 && (at == null || at < e.getValue())) {
                    return false;
                }
            }
            return true;
        }
    }

    private void run() {
        Set<TopicPartition> assigned = new HashSet<>();
        long[] nextRefresh = {System.nanoTime()};
        Retrying reading = Retrying.with("compacted-topic-follow", READ_RETRY)
                .classify(t -> closed || t instanceof WakeupException || t instanceof InterruptException
                        || t instanceof InterruptedException ? new Fault.Closed(t) : new Fault.Transient("kafka", t))
                .beforeRetry((fault, retry, wait) -> {
                    String error = fault.cause().toString();
                    if (!error.equals(lastError)) {
                        LOG.warn("reading {} failed, retrying: {}", topic, error);
                    }
                    lastError = error;
                })
                .build();
        try {
            while (!closed) {
                reading.call(() -> {
                    follow(assigned, nextRefresh);
                    return null;
                });
            }
        } catch (Exception e) {
            if (!closed) {
                LOG.warn("stopped reading {}: {}", topic, e.toString());
            }
        } finally {
            // close() interrupted this thread: cleared, or the consumer would give up closing its connections.
            Thread.interrupted();
            try {
                consumer.close(Duration.ofSeconds(2));
            } catch (RuntimeException e) {
                LOG.debug("closing the reader of {}: {}", topic, e.toString());
            }
        }
    }

    /** One step of following the topic: new partitions now and then, one poll, its records handed over. */
    private void follow(Set<TopicPartition> assigned, long[] nextRefresh) throws InterruptedException {
        if (System.nanoTime() - nextRefresh[0] >= 0) {
            refresh(assigned);
            nextRefresh[0] = System.nanoTime() + Duration.ofSeconds(REFRESH_SECONDS).toNanos();
        }
        if (assigned.isEmpty()) {
            Thread.sleep(200);
            return;
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
            try {
                handler.accept(r);
            } catch (InterruptException | WakeupException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.warn("skipping {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.toString());
            }
        }
        recordPositions(assigned);
        lastError = null;
    }

    private void refresh(Set<TopicPartition> assigned) {
        List<TopicPartition> added = new ArrayList<>(partitions(consumer, Duration.ofSeconds(10)));
        added.removeAll(assigned);
        if (initialEnds == null) {
            // A topic that does not exist yet holds nothing: caught up at once.
            initialEnds = added.isEmpty() ? Map.of() : new HashMap<>(consumer.endOffsets(added));
        }
        if (!added.isEmpty()) {
            assigned.addAll(added);
            consumer.assign(assigned);
            consumer.seekToBeginning(added);
        }
        recordPositions(assigned);
    }

    private void recordPositions(Set<TopicPartition> assigned) {
        synchronized (positions) {
            for (TopicPartition tp : assigned) {
                positions.put(tp, consumer.position(tp));
            }
            positions.notifyAll();
        }
        if (!caughtUp.isDone() && reached(initialEnds)) {
            caughtUp.complete(null);
        }
    }

    @Override
    public void close() {
        closed = true;
        if (thread.isAlive()) {
            consumer.wakeup();
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (thread.getState() == Thread.State.NEW) {
            consumer.close(Duration.ofSeconds(2));
        }
        caughtUp.completeExceptionally(new IllegalStateException("reader of " + topic + " closed"));
        synchronized (this) {
            if (lookup != null) {
                lookup.close(Duration.ofSeconds(2));
                lookup = null;
            }
        }
    }

    /**
     * A handler that decodes values with {@code values} and hands {@code sink} the key and the value (null for a
     * tombstone). An unreadable value (a poison pill: the producing service dead-letters those) is logged and
     * skipped; a registry that is unavailable is waited out, since skipping would lose the record for good.
     */
    public static <V> Consumer<ConsumerRecord<byte[], byte[]>> decoding(Deserializer<V> values,
                                                                         BiConsumer<String, V> sink) {
        return r -> {
            V value;
            try {
                value = decode(r, values);
            } catch (PoisonPillException e) {
                LOG.warn("skipping unreadable {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
                return;
            }
            sink.accept(key(r), value);
        };
    }

    static String key(ConsumerRecord<byte[], byte[]> r) {
        return r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    }

    /** The value, null for a tombstone; retries anything but a {@link PoisonPillException} until it reads. */
    static <V> V decode(ConsumerRecord<byte[], byte[]> r, Deserializer<V> values) {
        if (r.value() == null) {
            return null;
        }
        try {
            return values.deserialize(r.topic(), r.headers(), r.value());
        } catch (PoisonPillException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("cannot read {}-{}@{} yet: {}; retrying", r.topic(), r.partition(), r.offset(), e.getMessage());
        }
        try {
            return UNTIL_READ.get(() -> values.deserialize(r.topic(), r.headers(), r.value()));
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptException(new InterruptedException("closing while reading " + r.topic()));
            }
            throw e;
        }
    }
}
