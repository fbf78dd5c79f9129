package io.tessera.catalog.client;

import io.tessera.events.MediaArrived;
import io.tessera.serde.PoisonPillException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.Deserializer;

/** A {@link CatalogCursor} on a {@link CompactedTopicReader} that hands its records over through a bounded queue. */
final class QueuedCatalogCursor implements CatalogCursor {

    private static final int AHEAD = 256;

    private final BlockingQueue<CatalogEntry> queue = new ArrayBlockingQueue<>(AHEAD);
    private final Deserializer<MediaArrived> values;
    private final CompactedTopicReader reader;
    private volatile long total;

    QueuedCatalogCursor(Function<Consumer<ConsumerRecord<byte[], byte[]>>, CompactedTopicReader> readers,
                        Deserializer<MediaArrived> values) {
        this.values = values;
        this.reader = readers.apply(this::enqueue);
        try {
            caughtUp();
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
        reader.start();
    }

    private void enqueue(ConsumerRecord<byte[], byte[]> r) {
        try {
            queue.put(entry(r));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }

    private CatalogEntry entry(ConsumerRecord<byte[], byte[]> r) {
        CatalogPosition at = new CatalogPosition(r.topic(), r.partition(), r.offset());
        String key = CompactedTopicReader.key(r);
        if (key == null || key.isBlank()) {
            return CatalogEntry.unreadable(key == null ? "" : key, "no key (the mediaId)", at);
        }
        try {
            MediaArrived item = CompactedTopicReader.decode(r, values);
            return item == null ? CatalogEntry.tombstone(key, at) : CatalogEntry.item(item, at);
        } catch (PoisonPillException e) {
            return CatalogEntry.unreadable(key, e.getMessage(), at);
        }
    }

    @Override
    public List<CatalogEntry> poll(Duration timeout) {
        List<CatalogEntry> out = new ArrayList<>();
        try {
            CatalogEntry first = queue.poll(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            if (first != null) {
                out.add(first);
                queue.drainTo(out, AHEAD);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    @Override
    public boolean caughtUp() {
        List<Map<TopicPartition, Long>> offsets = reader.withLookup(c -> {
            List<TopicPartition> partitions = reader.partitions(c, Duration.ofSeconds(30));
            return partitions.isEmpty() ? List.of(Map.<TopicPartition, Long>of(), Map.<TopicPartition, Long>of())
                    : List.of(c.beginningOffsets(partitions), c.endOffsets(partitions));
        });
        long sum = 0;
        for (Map.Entry<TopicPartition, Long> end : offsets.get(1).entrySet()) {
            sum += end.getValue() - offsets.get(0).getOrDefault(end.getKey(), 0L);
        }
        total = sum;
        // The reader moves its positions only once a poll's records are all queued: checked first, so an empty queue
        // after it means every record up to them has been returned.
        return reader.reached(offsets.get(1)) && queue.isEmpty();
    }

    @Override
    public long total() {
        return total;
    }

    @Override
    public void close() {
        reader.close();
        values.close();
    }
}
