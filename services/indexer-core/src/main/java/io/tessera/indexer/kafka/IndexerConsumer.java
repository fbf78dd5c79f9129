package io.tessera.indexer.kafka;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.tessera.indexer.IndexerMetrics;
import io.tessera.indexer.IndexerPipeline;
import io.tessera.indexer.IndexerSettings;
import io.tessera.indexer.SourceRecord;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a modality topic into an {@link IndexerPipeline} with a plain {@link KafkaConsumer}, at least once.
 * <ul>
 *   <li>Batched: each poll hands up to {@code pollRecords} records to the pipeline at once, from every assigned
 *       partition; the pipeline works on many records concurrently (decode pool, shared batchers, batched writes).</li>
 *   <li>Commits: a partition's offset moves past a record only once that record and every earlier record of the
 *       partition are finished, i.e. their vectors are in Milvus and their event is sent ({@link OffsetTracker}).
 *       Commits are asynchronous every {@code commitInterval}, synchronous on revocation and at stop.</li>
 *   <li>Back-pressure: with {@code maxInFlight} records unfinished (the pipeline is full, or a dependency is down
 *       and records wait for it) every partition is paused; polling goes on (so the group membership stays alive)
 *       but returns nothing until half of them are done.</li>
 *   <li>Values are read as bytes and deserialised by the pipeline, so a poison pill is dead-lettered with exactly
 *       the bytes that arrived instead of failing {@code poll()}.</li>
 * </ul>
 * Why not SmallRye Reactive Messaging's Kafka connector: its batch mode hands a batch to one method call and acks
 * it as a unit, so decoding the next batch cannot overlap embedding and writing the previous one (the pipelining the
 * throughput goal needs) without unordered concurrent processing, whose throttled commit strategy then fails the
 * channel when a record stays unacked longer than its max age, which is exactly what an hour-long Milvus outage
 * must be allowed to do here. A plain consumer with this small tracker keeps pause/resume, commits and the
 * outage behaviour explicit and unit-testable, and the same loop runs in the services, the tests and the benchmark.
 */
public final class IndexerConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IndexerConsumer.class);
    private static final Duration POLL = Duration.ofMillis(50);

    private record Completion(TopicPartition tp, long offset, OffsetTracker.Partition token, Throwable error) {
    }

    private final IndexerSettings settings;
    private final Map<String, Object> kafkaConfig;
    private final IndexerPipeline pipeline;
    private final IndexerMetrics metrics;
    private final OffsetTracker tracker = new OffsetTracker();
    private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
    private final AtomicLong lag = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    private volatile boolean running;
    private volatile boolean paused;
    private volatile boolean assigned;
    private volatile Throwable failure;
    private Thread thread;
    private long lastCommit;

    /**
     * @param kafkaConfig consumer configuration: at least {@code bootstrap.servers}; group id, offsets, poll size and
     *                    deserializers are set from the settings
     */
    public IndexerConsumer(IndexerSettings settings, Map<String, Object> kafkaConfig, IndexerPipeline pipeline,
                           IndexerMetrics metrics) {
        this.settings = settings;
        this.kafkaConfig = Map.copyOf(kafkaConfig);
        this.pipeline = pipeline;
        this.metrics = metrics;
        metrics.gauge("tessera.indexer.consumer.lag",
                "records of the assigned partitions not yet finished: not fetched yet plus fetched and unfinished",
                () -> lag.get() + inFlight.get());
        metrics.gauge("tessera.indexer.in.flight", "records handed to the pipeline and not yet committable",
                inFlight::get);
        metrics.gauge("tessera.indexer.paused", "1 while the partitions are paused for back-pressure",
                () -> paused ? 1 : 0);
    }

    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        running = true;
        thread = Thread.ofPlatform().name("indexer-consumer-" + settings.service()).start(this::run);
    }

    /** Whether the loop is running (false after a fatal error: see {@link #failure()}). */
    public boolean isRunning() {
        return running && thread != null && thread.isAlive();
    }

    /** Whether the group gave this consumer partitions at least once. */
    public boolean hasAssignment() {
        return assigned;
    }

    public boolean isPaused() {
        return paused;
    }

    public Throwable failure() {
        return failure;
    }

    private void run() {
        Map<String, Object> props = new HashMap<>(kafkaConfig);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.pollRecords());
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, settings.service() + "-consumer");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
             KafkaClientMetrics clientMetrics = new KafkaClientMetrics(consumer, metrics.tags())) {
            clientMetrics.bindTo(metrics.registry());
            consumer.subscribe(List.of(settings.sourceTopic()), new Rebalance(consumer));
            LOG.info("{} consuming {} as group {}", settings.service(), settings.sourceTopic(), settings.groupId());
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                if (!records.isEmpty()) {
                    metrics.polled(records.count());
                    dispatch(records);
                }
                drain();
                commit(consumer, false);
                flowControl(consumer);
                measureLag(consumer);
            }
            finish(consumer);
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("{}: the consumer loop stopped", settings.service(), e);
        } finally {
            running = false;
        }
    }

    private void dispatch(ConsumerRecords<byte[], byte[]> records) {
        for (ConsumerRecord<byte[], byte[]> r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            OffsetTracker.Partition token = tracker.started(tp, r.offset());
            SourceRecord source = new SourceRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value(),
                    List.of(r.headers().toArray()), r.timestamp());
            pipeline.submit(source).whenComplete((outcome, error) ->
                    completions.add(new Completion(tp, r.offset(), token, error)));
        }
        inFlight.set(tracker.inFlight());
    }

    private void drain() {
        for (Completion c; (c = completions.poll()) != null; ) {
            if (c.error() == null) {
                tracker.finished(c.tp(), c.offset(), c.token());
            } else if (running) {
                // The pipeline only gives up on a record while it closes; anything else is a bug. Not committing
                // it is the safe side: the partition stops advancing here and the record is read again on restart.
                LOG.error("{}: record {}@{} could not be finished; partition {} stops advancing at it until a restart",
                        settings.service(), c.tp(), c.offset(), c.tp(), c.error());
            }
        }
        inFlight.set(tracker.inFlight());
    }

    private void commit(KafkaConsumer<byte[], byte[]> consumer, boolean now) {
        long t = System.nanoTime();
        if (!now && t - lastCommit < settings.commitInterval().toNanos()) {
            return;
        }
        lastCommit = t;
        Map<TopicPartition, OffsetAndMetadata> offsets = tracker.committable();
        if (offsets.isEmpty()) {
            return;
        }
        tracker.committed(offsets);
        consumer.commitAsync(offsets, (done, error) -> {
            if (error != null) {
                tracker.commitFailed(done == null ? offsets : done);
                LOG.debug("{}: async commit failed, offered again next round: {}", settings.service(), error.toString());
            }
        });
    }

    private void flowControl(KafkaConsumer<byte[], byte[]> consumer) {
        int n = tracker.inFlight();
        if (!paused && n >= settings.maxInFlight()) {
            consumer.pause(consumer.assignment());
            paused = true;
            LOG.debug("{}: {} records in flight, partitions paused", settings.service(), n);
        } else if (paused && n <= settings.maxInFlight() / 2) {
            consumer.resume(consumer.paused());
            paused = false;
            LOG.debug("{}: {} records in flight, partitions resumed", settings.service(), n);
        }
    }

    private void measureLag(KafkaConsumer<byte[], byte[]> consumer) {
        long total = 0;
        for (TopicPartition tp : consumer.assignment()) {
            total += consumer.currentLag(tp).orElse(0);
        }
        lag.set(total);
    }

    /** At stop: wait (bounded) for records in flight, then commit everything finished, synchronously. */
    private void finish(KafkaConsumer<byte[], byte[]> consumer) {
        long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        while (tracker.inFlight() > 0 && System.nanoTime() < deadline) {
            drain();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        drain();
        if (tracker.inFlight() > 0) {
            LOG.warn("{}: stopping with {} records unfinished; they are read again on restart", settings.service(),
                    tracker.inFlight());
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = tracker.positions(consumer.assignment());
        if (!offsets.isEmpty()) {
            try {
                consumer.commitSync(offsets, Duration.ofSeconds(10));
            } catch (KafkaException e) {
                LOG.warn("{}: final commit failed ({}); finished records may be read again", settings.service(),
                        e.toString());
            }
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> consumer;

        Rebalance(KafkaConsumer<byte[], byte[]> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            drain();
            Map<TopicPartition, OffsetAndMetadata> offsets = tracker.positions(partitions);
            if (!offsets.isEmpty()) {
                try {
                    consumer.commitSync(offsets, Duration.ofSeconds(10));
                } catch (KafkaException e) {
                    LOG.warn("{}: commit on revocation failed ({}); the new owner re-reads from the last commit",
                            settings.service(), e.toString());
                }
            }
            // Records of these partitions still in flight finish anyway (idempotent writes); the new owner may
            // process them again, which leaves the same rows.
            tracker.revoked(partitions);
            inFlight.set(tracker.inFlight());
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            tracker.revoked(partitions);
            inFlight.set(tracker.inFlight());
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            tracker.assigned(partitions);
            assigned = true;
            if (paused) {
                consumer.pause(partitions);
            }
            LOG.info("{}: assigned {}", settings.service(), partitions);
        }
    }

    /** Stops polling, waits up to the shutdown timeout for records in flight, commits, closes. */
    @Override
    public void close() {
        running = false;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            try {
                t.join(settings.shutdownTimeout().toMillis() + 15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
