package io.tessera.search.internal;

import io.tessera.events.ContentReference;
import io.tessera.events.InlineBytes;
import io.tessera.events.InlineText;
import io.tessera.events.KafkaConnection;
import io.tessera.events.MediaArrived;
import io.tessera.registry.RegistryUnavailableException;
import io.tessera.registry.SchemaRegistry;
import io.tessera.serde.SpecificAvroDeserializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where each item's content is, read from the compacted {@code media.catalog} topic: tenant, modality, content type
 * and either the reference or the record's position (inline content is not kept in memory: it is read back from
 * Kafka at that position when a thumbnail is first asked for). Each replica reads the whole topic from the start,
 * without a consumer group, so the index is complete on every replica; tombstones remove entries.
 */
public final class CatalogIndex implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogIndex.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration TOPIC_RETRY = Duration.ofSeconds(5);

    /** Where the content of an item is. */
    public sealed interface Content {
        record Inline(long sizeBytes) implements Content {
        }

        record Text(int length) implements Content {
        }

        record Reference(String uri, Long sizeBytes, String sha256) implements Content {
        }
    }

    /** The latest catalog version of an item, and where its record is. */
    public record Entry(String mediaId, String tenant, String modality, String contentType, Content content,
                        int partition, long offset) {
        /** Changes whenever the item is republished: part of thumbnail cache keys. */
        public String version() {
            return partition + ":" + offset;
        }
    }

    private final String topic;
    private final Map<String, Object> consumerConfig;
    private final SchemaRegistry registry;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final Thread thread;
    private volatile KafkaConsumer<String, MediaArrived> follower;
    private KafkaConsumer<String, MediaArrived> reader;
    private volatile boolean caughtUp;

    public CatalogIndex(KafkaConnection kafka, SchemaRegistry registry, String topic) {
        this.topic = topic;
        this.registry = registry;
        Map<String, Object> config = new HashMap<>(kafka.clientConfig());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
        this.consumerConfig = Map.copyOf(config);
        this.thread = Thread.ofPlatform().daemon().name("catalog-index-" + topic).unstarted(this::follow);
    }

    public String topic() {
        return topic;
    }

    public void start() {
        if (running.compareAndSet(false, true)) {
            thread.start();
        }
    }

    public Optional<Entry> find(String mediaId) {
        return Optional.ofNullable(entries.get(mediaId));
    }

    public int size() {
        return entries.size();
    }

    /** Whether the index has read everything the topic held when it started following it. */
    public boolean caughtUp() {
        return caughtUp;
    }

    private KafkaConsumer<String, MediaArrived> consumer(String clientId) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return new KafkaConsumer<>(config, new StringDeserializer(),
                new SpecificAvroDeserializer<>(registry, MediaArrived.class));
    }

    private void follow() {
        try (KafkaConsumer<String, MediaArrived> consumer = consumer("search-api-catalog-index")) {
            follower = consumer;
            Map<TopicPartition, Long> endAtStart = null;
            while (running.get()) {
                try {
                    if (consumer.assignment().isEmpty()) {
                        List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
                        if (partitions == null || partitions.isEmpty()) {
                            LOG.debug("topic {} does not exist yet; thumbnails wait for it", topic);
                            sleep(TOPIC_RETRY);
                            continue;
                        }
                        List<TopicPartition> tps = partitions.stream()
                                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                        consumer.assign(tps);
                        consumer.seekToBeginning(tps);
                        endAtStart = consumer.endOffsets(tps);
                        LOG.info("following {} ({} partitions) for thumbnails", topic, tps.size());
                    }
                    ConsumerRecords<String, MediaArrived> records = consumer.poll(POLL);
                    for (ConsumerRecord<String, MediaArrived> r : records) {
                        apply(r);
                    }
                    if (!caughtUp && endAtStart != null && reached(consumer, endAtStart)) {
                        caughtUp = true;
                        LOG.info("catalog index caught up with {}: {} items", topic, entries.size());
                    }
                } catch (RecordDeserializationException e) {
                    if (e.getCause() instanceof RegistryUnavailableException) {
                        LOG.warn("schema registry unavailable while reading {}; retrying: {}", topic, e.getMessage());
                        consumer.seek(e.topicPartition(), e.offset());
                        sleep(TOPIC_RETRY);
                    } else {
                        LOG.warn("skipping unreadable record {}@{} of {}: {}", e.topicPartition(), e.offset(), topic,
                                e.getMessage());
                        consumer.seek(e.topicPartition(), e.offset() + 1);
                    }
                } catch (WakeupException e) {
                    break;
                } catch (RuntimeException e) {
                    if (!running.get()) {
                        break;
                    }
                    LOG.warn("catalog index of {} failed, retrying: {}", topic, e.toString());
                    sleep(TOPIC_RETRY);
                }
            }
        } finally {
            follower = null;
        }
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void apply(ConsumerRecord<String, MediaArrived> r) {
        if (r.key() == null) {
            return;
        }
        MediaArrived m = r.value();
        if (m == null) {
            entries.remove(r.key());
            return;
        }
        Content content = switch (m.getContent()) {
            case InlineBytes b -> new Content.Inline(b.getData().remaining());
            case InlineText t -> new Content.Text(t.getText().length());
            case ContentReference ref -> new Content.Reference(ref.getUri(), ref.getSizeBytes(), ref.getSha256());
            default -> null;
        };
        if (content == null) {
            return;
        }
        entries.put(r.key(), new Entry(r.key(), m.getTenant(), m.getModality().name(), m.getContentType(), content,
                r.partition(), r.offset()));
    }

    /**
     * Where the item's bytes come from, for the media decoder: its reference, or its inline bytes read back from the
     * topic; null for inline text and for a record compacted away under a newer version this index will read shortly.
     */
    public io.tessera.media.MediaSource mediaSource(Entry entry) {
        return switch (entry.content()) {
            case Content.Reference r -> io.tessera.media.MediaSource.reference(r.uri(), r.sizeBytes(), r.sha256());
            case Content.Inline i -> inlineBytes(entry, Duration.ofSeconds(5))
                    .map(b -> io.tessera.media.MediaSource.bytes(b, entry.contentType())).orElse(null);
            case Content.Text t -> null;
        };
    }

    /**
     * The inline bytes of an item, read back from its record. Empty when the record is gone (compacted away by a
     * newer version the index has not read yet) or not inline.
     */
    public synchronized Optional<byte[]> inlineBytes(Entry entry, Duration timeout) {
        if (!(entry.content() instanceof Content.Inline)) {
            return Optional.empty();
        }
        if (reader == null) {
            reader = consumer("search-api-catalog-reader");
        }
        TopicPartition tp = new TopicPartition(topic, entry.partition());
        reader.assign(List.of(tp));
        reader.seek(tp, entry.offset());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            ConsumerRecords<String, MediaArrived> records;
            try {
                records = reader.poll(Duration.ofMillis(200));
            } catch (RecordDeserializationException e) {
                return Optional.empty();
            }
            for (ConsumerRecord<String, MediaArrived> r : records) {
                if (r.offset() != entry.offset() || !entry.mediaId().equals(r.key()) || r.value() == null) {
                    return Optional.empty();
                }
                if (r.value().getContent() instanceof InlineBytes b) {
                    byte[] bytes = new byte[b.getData().remaining()];
                    b.getData().duplicate().get(bytes);
                    return Optional.of(bytes);
                }
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    @Override
    public void close() {
        running.set(false);
        KafkaConsumer<String, MediaArrived> f = follower;
        if (f != null) {
            f.wakeup();
        }
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (reader != null) {
                reader.close(Duration.ofSeconds(2));
                reader = null;
            }
        }
    }
}
