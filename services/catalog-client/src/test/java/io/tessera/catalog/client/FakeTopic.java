package io.tessera.catalog.client;

import io.tessera.events.ContentReference;
import io.tessera.events.InlineBytes;
import io.tessera.events.MediaArrived;
import io.tessera.events.Modality;
import io.tessera.serde.PoisonPillException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A topic on two {@link MockConsumer}s (the reader's and its lookup consumer). Values are names of items registered
 * with {@link #item}; "poison" is unreadable; "flaky" fails twice as a registry outage would, then reads.
 */
final class FakeTopic {

    static final String TOPIC = "media.catalog";

    final MockConsumer<byte[], byte[]> main = new MockConsumer<>("earliest");
    final MockConsumer<byte[], byte[]> lookup = new MockConsumer<>("earliest");
    final Map<String, MediaArrived> items = new ConcurrentHashMap<>();
    final AtomicInteger flakyFailures = new AtomicInteger();
    private final Map<Integer, List<ConsumerRecord<byte[], byte[]>>> log = new HashMap<>();

    FakeTopic(int partitions) {
        List<PartitionInfo> infos = new ArrayList<>();
        Map<TopicPartition, Long> zero = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            infos.add(new PartitionInfo(TOPIC, p, Node.noNode(), new Node[0], new Node[0]));
            zero.put(new TopicPartition(TOPIC, p), 0L);
            log.put(p, new ArrayList<>());
        }
        for (MockConsumer<byte[], byte[]> c : List.of(main, lookup)) {
            c.updatePartitions(TOPIC, infos);
            c.updateBeginningOffsets(zero);
            c.updateEndOffsets(zero);
        }
    }

    Function<String, org.apache.kafka.clients.consumer.Consumer<byte[], byte[]>> consumers() {
        return suffix -> suffix.isEmpty() ? main : lookup;
    }

    Function<Consumer<ConsumerRecord<byte[], byte[]>>, CompactedTopicReader> readers() {
        return handler -> new CompactedTopicReader(TOPIC, handler, consumers());
    }

    static MediaArrived item(String mediaId, String tenant, Object content) {
        return MediaArrived.newBuilder().setMediaId(mediaId).setTenant(tenant).setModality(Modality.IMAGE)
                .setContentType("image/png").setContent(content).setOccurredAt(Instant.EPOCH).build();
    }

    static InlineBytes inline(String data) {
        return new InlineBytes(ByteBuffer.wrap(data.getBytes(StandardCharsets.UTF_8)));
    }

    static ContentReference reference(String uri) {
        return new ContentReference(uri, null, null);
    }

    /** Registers {@code item} under the value name {@code name}. */
    String value(String name, MediaArrived item) {
        items.put(name, item);
        return name;
    }

    /** Writes a record: the end offsets move at once, the reader sees it once it is assigned. */
    synchronized ConsumerRecord<byte[], byte[]> append(int partition, String key, String value) {
        List<ConsumerRecord<byte[], byte[]>> records = log.get(partition);
        ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>(TOPIC, partition, records.size(),
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
        records.add(r);
        Map<TopicPartition, Long> end = Map.of(new TopicPartition(TOPIC, partition), (long) records.size());
        main.updateEndOffsets(end);
        lookup.updateEndOffsets(end);
        if (main.assignment().contains(new TopicPartition(TOPIC, partition))) {
            main.addRecord(r);
        }
        return r;
    }

    /** Hands the reader what was written before it was assigned (MockConsumer takes records of assigned partitions). */
    synchronized void deliverBacklog() {
        for (Map.Entry<Integer, List<ConsumerRecord<byte[], byte[]>>> e : log.entrySet()) {
            e.getValue().forEach(main::addRecord);
        }
    }

    Deserializer<MediaArrived> deserializer() {
        return new Deserializer<>() {
            @Override
            public MediaArrived deserialize(String topic, byte[] data) {
                String name = new String(data, StandardCharsets.UTF_8);
                if (name.equals("poison")) {
                    throw new PoisonPillException(topic, PoisonPillException.Reason.BAD_MAGIC_BYTE, null, "not Avro",
                            null);
                }
                if (name.startsWith("flaky") && flakyFailures.incrementAndGet() <= 2) {
                    throw new IllegalStateException("registry unavailable");
                }
                MediaArrived m = items.get(name);
                // A fresh copy per read, as a real deserializer gives.
                return m == null ? null : MediaArrived.newBuilder(m).build();
            }

            @Override
            public MediaArrived deserialize(String topic, Headers headers, byte[] data) {
                return deserialize(topic, data);
            }
        };
    }
}
