package io.tessera.indexer.image;

import io.tessera.events.IndexStatus;
import io.tessera.events.MediaIndexed;
import io.tessera.events.Topics;
import io.tessera.media.ImageEncoder;
import io.tessera.registry.RegistryConfig;
import io.tessera.serde.DeserializationFailure;
import io.tessera.serde.SerdeConfig;
import io.tessera.serde.SpecificAvroDeserializer;
import io.tessera.testing.StackEndpoints;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What the image indexer's process-level ITs publish (small distinct JPEGs) and how they watch the outcome. */
final class ItMedia {

    private ItMedia() {
    }

    /** A 96x72 JPEG, distinct for each {@code i} of {@code count}: a hue band and a placed disc. */
    static byte[] jpeg(int i, int count) throws IOException {
        BufferedImage image = new BufferedImage(96, 72, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(Color.HSBtoRGB(i / (float) count, 0.8f, 0.9f)));
        g.fillRect(0, 0, 96, 72);
        g.setColor(new Color((i * 7919) & 0xffffff));
        g.fillOval(i % 60, (i / 3) % 40, 30, 30);
        g.dispose();
        return ImageEncoder.encode(image, ImageEncoder.Format.JPEG);
    }

    /**
     * Reads the run's INDEXED events and dead letters until {@code reading} turns false: adds indexed mediaIds,
     * counts every event and every dead letter. A registry that is restarting under the reader is waited out, as
     * the services do.
     */
    static void readOutcomes(StackEndpoints stack, String prefix, Set<String> indexed, AtomicInteger events,
                             AtomicInteger dlq, AtomicBoolean reading) {
        SpecificAvroDeserializer<MediaIndexed> values = new SpecificAvroDeserializer<>();
        values.configure(Map.of(RegistryConfig.URL, stack.registryUrl(), SerdeConfig.SPECIFIC_AVRO_VALUE_TYPE,
                MediaIndexed.class), false);
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, prefix + "reader", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, MediaIndexed> consumer = new KafkaConsumer<>(props, new StringDeserializer(), values);
             KafkaConsumer<String, String> dead = new KafkaConsumer<>(props, new StringDeserializer(),
                     new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.withPrefix(prefix, Topics.MEDIA_INDEXED)));
            dead.subscribe(List.of(Topics.withPrefix(prefix, Topics.MEDIA_DLQ)));
            while (reading.get()) {
                try {
                    for (var r : consumer.poll(Duration.ofMillis(100))) {
                        events.incrementAndGet();
                        if (r.value().getStatus() == IndexStatus.INDEXED) {
                            indexed.add(r.value().getMediaId());
                        }
                    }
                    dlq.addAndGet(dead.poll(Duration.ofMillis(10)).count());
                } catch (RuntimeException e) {
                    if (!DeserializationFailure.isTransient(e)) {
                        throw e;
                    }
                }
            }
        }
    }
}
