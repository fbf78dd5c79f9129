package io.tessera.rollout.internal;

import io.tessera.events.MediaArrived;
import io.tessera.rollout.CatalogEntry;
import io.tessera.rollout.CatalogPosition;
import io.tessera.rollout.CatalogSource;
import io.tessera.serde.PoisonPillException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/** media.catalog read from its beginning by a group-less consumer (one per backfill). */
public final class KafkaCatalogSource implements CatalogSource {

    private final String topic;
    private final Map<String, Object> kafka;
    private final String clientId;
    private final Supplier<Deserializer<MediaArrived>> deserializers;

    public KafkaCatalogSource(String topic, Map<String, Object> kafka, String clientId,
                              Supplier<Deserializer<MediaArrived>> deserializers) {
        this.topic = topic;
        this.kafka = Map.copyOf(kafka);
        this.clientId = clientId;
        this.deserializers = deserializers;
    }

    @Override
    public Cursor open() {
        return new KafkaCursor();
    }

    private final class KafkaCursor implements Cursor {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Deserializer<MediaArrived> deserializer = deserializers.get();
        private final List<TopicPartition> partitions = new ArrayList<>();
        private long total;

        KafkaCursor() {
            Properties p = new Properties();
            p.putAll(kafka);
            p.remove(ConsumerConfig.GROUP_ID_CONFIG);
            p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
            p.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "256");
            consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            try {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
                for (PartitionInfo i : infos == null ? List.<PartitionInfo>of() : infos) {
                    partitions.add(new TopicPartition(i.topic(), i.partition()));
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                caughtUp();
            } catch (RuntimeException e) {
                consumer.close(Duration.ofSeconds(1));
                throw e;
            }
        }

        @Override
        public List<CatalogEntry> poll(Duration timeout) {
            if (partitions.isEmpty()) {
                return List.of();
            }
            List<CatalogEntry> out = new ArrayList<>();
            Map<TopicPartition, Long> firstInPoll = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
                CatalogPosition source = new CatalogPosition(r.topic(), r.partition(), r.offset());
                String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                firstInPoll.putIfAbsent(new TopicPartition(r.topic(), r.partition()), r.offset());
                if (key.isBlank()) {
                    out.add(CatalogEntry.unreadable(key, "no key (the mediaId)", source));
                    continue;
                }
                if (r.value() == null) {
                    out.add(CatalogEntry.tombstone(key, source));
                    continue;
                }
                try {
                    out.add(CatalogEntry.item(deserializer.deserialize(r.topic(), r.headers(), r.value()), source));
                } catch (PoisonPillException e) {
                    out.add(CatalogEntry.unreadable(key, e.getMessage(), source));
                } catch (RuntimeException e) {
                    // Transient (registry down): throw this poll away and read it again from its first records.
                    firstInPoll.putIfAbsent(new TopicPartition(r.topic(), r.partition()), r.offset());
                    firstInPoll.forEach(consumer::seek);
                    throw e;
                }
            }
            return out;
        }

        @Override
        public boolean caughtUp() {
            if (partitions.isEmpty()) {
                return true;
            }
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long sum = 0;
            boolean caught = true;
            for (TopicPartition tp : partitions) {
                sum += end.get(tp) - begin.get(tp);
                if (consumer.position(tp) < end.get(tp)) {
                    caught = false;
                }
            }
            total = sum;
            return caught;
        }

        @Override
        public long total() {
            return total;
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(2));
            deserializer.close();
        }
    }
}
