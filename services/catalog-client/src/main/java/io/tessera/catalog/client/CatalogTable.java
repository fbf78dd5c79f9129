package io.tessera.catalog.client;

import io.tessera.events.InlineBytes;
import io.tessera.events.InlineText;
import io.tessera.events.KafkaConnection;
import io.tessera.events.MediaArrived;
import io.tessera.serde.PoisonPillException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * media.catalog as a local table by mediaId: every replica reads the whole topic (see {@link CompactedTopicReader}),
 * a tombstone removes the item, an unreadable record leaves the previous version in place. Thread-safe.
 */
public final class CatalogTable implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogTable.class);

    private final Map<String, CatalogEntry> entries = new ConcurrentHashMap<>();
    private final Deserializer<MediaArrived> values;
    private final boolean keepInlineContent;
    private final CompactedTopicReader reader;

    /**
     * @param values          reads {@link MediaArrived} in the Confluent wire format (through the schema registry)
     * @param keepInlineContent false to keep inline bytes and text out of memory (they are left empty):
     *                          {@link #inlineBytes} reads the bytes back from their record when asked
     */
    public CatalogTable(KafkaConnection kafka, String topic, Deserializer<MediaArrived> values, String clientId,
                        boolean keepInlineContent) {
        this(handler -> new CompactedTopicReader(kafka, topic, clientId, handler), values, keepInlineContent);
    }

    CatalogTable(Function<Consumer<ConsumerRecord<byte[], byte[]>>, CompactedTopicReader> readers,
                 Deserializer<MediaArrived> values, boolean keepInlineContent) {
        this.values = values;
        this.keepInlineContent = keepInlineContent;
        this.reader = readers.apply(this::apply);
    }

    public CatalogTable start() {
        reader.start();
        return this;
    }

    public String topic() {
        return reader.topic();
    }

    private void apply(ConsumerRecord<byte[], byte[]> r) {
        String mediaId = CompactedTopicReader.key(r);
        if (mediaId == null || mediaId.isBlank()) {
            return;
        }
        MediaArrived item;
        try {
            item = CompactedTopicReader.decode(r, values);
        } catch (PoisonPillException e) {
            LOG.warn("skipping unreadable catalog record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                    e.getMessage());
            return;
        }
        if (item == null) {
            entries.remove(mediaId);
            return;
        }
        if (!keepInlineContent && item.getContent() instanceof InlineBytes) {
            item.setContent(new InlineBytes(ByteBuffer.allocate(0)));
        } else if (!keepInlineContent && item.getContent() instanceof InlineText) {
            item.setContent(new InlineText(""));
        }
        entries.put(mediaId, new CatalogEntry(mediaId, item, null, new CatalogPosition(r.topic(), r.partition(),
                r.offset())));
    }

    public Optional<CatalogEntry> find(String mediaId) {
        return Optional.ofNullable(entries.get(mediaId));
    }

    public int size() {
        return entries.size();
    }

    /** Completes once the table holds what the topic held when it started reading. */
    public CompletableFuture<Void> caughtUp() {
        return reader.caughtUp();
    }

    /**
     * Waits until everything published to the catalog before this call is in the table.
     *
     * @throws TimeoutException when that takes longer than {@code timeout}
     */
    public void awaitCaughtUp(Duration timeout) throws TimeoutException, InterruptedException {
        reader.awaitCaughtUp(timeout);
    }

    /**
     * The inline bytes of an item: from memory when the table keeps them, else read back from the entry's record.
     * Empty when the content is not inline, or the record is gone (compacted away under a newer version the table
     * will read shortly).
     */
    public Optional<byte[]> inlineBytes(CatalogEntry entry, Duration timeout) {
        if (!(entry.content() instanceof InlineBytes kept)) {
            return Optional.empty();
        }
        if (keepInlineContent) {
            return Optional.of(bytes(kept));
        }
        CatalogPosition at = entry.position();
        TopicPartition tp = new TopicPartition(at.topic(), at.partition());
        return reader.withLookup(c -> {
            c.assign(List.of(tp));
            c.seek(tp, at.offset());
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.offset() != at.offset() || !entry.mediaId().equals(CompactedTopicReader.key(r))) {
                        return Optional.empty();
                    }
                    try {
                        // Not retried: a caller is waiting, and the registry read this record before.
                        return r.value() != null && values.deserialize(r.topic(), r.headers(), r.value())
                                .getContent() instanceof InlineBytes b ? Optional.of(bytes(b)) : Optional.empty();
                    } catch (RuntimeException e) {
                        return Optional.empty();
                    }
                }
            }
            return Optional.empty();
        });
    }

    private static byte[] bytes(InlineBytes b) {
        byte[] out = new byte[b.getData().remaining()];
        b.getData().duplicate().get(out);
        return out;
    }

    @Override
    public void close() {
        reader.close();
    }
}
