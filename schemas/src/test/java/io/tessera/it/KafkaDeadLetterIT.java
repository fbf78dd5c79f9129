package io.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.events.MediaArrived;
import io.tessera.events.SampleEvents;
import io.tessera.serde.DeadLetterHeaders;
import io.tessera.serde.DeserializationFailure;
import io.tessera.serde.PoisonPillException;
import io.tessera.serde.SpecificAvroDeserializer;
import io.tessera.serde.SpecificAvroSerializer;
import io.tessera.testing.LocalStackExtension;
import io.tessera.testing.StackEndpoints;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The serde on a real broker: poison pills are located, dead-lettered with provenance, and the partition keeps flowing. */
@ExtendWith(LocalStackExtension.class)
class KafkaDeadLetterIT {

    @Test
    void aPoisonPillIsDeadLetteredWithItsLocationAndTheRecordsAfterItAreRead(StackEndpoints stack) throws Exception {
        String topic = KafkaTopics.unique("it-arrived");
        String dlq = topic + ".dlq";
        KafkaTopics.create(stack.kafkaBootstrap(), List.of(topic, dlq));
        byte[] garbage = "{\"mediaId\":\"oops\"}".getBytes(StandardCharsets.UTF_8);
        try (var good = new KafkaProducer<String, MediaArrived>(KafkaTopics.producer(stack.kafkaBootstrap(),
                stack.registryUrl(), SpecificAvroSerializer.class));
             var raw = new KafkaProducer<String, byte[]>(rawProducer(stack))) {
            good.send(new ProducerRecord<>(topic, "a", SampleEvents.mediaArrivedText())).get(30, TimeUnit.SECONDS);
            raw.send(new ProducerRecord<>(topic, "bad", garbage)).get(30, TimeUnit.SECONDS);
            good.send(new ProducerRecord<>(topic, "b", SampleEvents.mediaArrivedReference())).get(30, TimeUnit.SECONDS);
            good.send(new ProducerRecord<>(topic, "tombstone", null)).get(30, TimeUnit.SECONDS);
        }

        List<ConsumerRecord<String, MediaArrived>> read = new ArrayList<>();
        List<DeserializationFailure> failures = new ArrayList<>();
        Properties props = KafkaTopics.consumer(stack.kafkaBootstrap(), stack.registryUrl(), SpecificAvroDeserializer.class);
        props.put("specific.avro.value.type", MediaArrived.class.getName());
        try (var consumer = new KafkaConsumer<String, MediaArrived>(props);
             var deadLetters = new KafkaProducer<byte[], byte[]>(rawBytesProducer(stack))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            // The consumer loop a service runs: poison pills to the DLQ, then past them.
            while (read.size() < 3 && System.nanoTime() < deadline) {
                try {
                    consumer.poll(Duration.ofMillis(200)).forEach(read::add);
                } catch (RecordDeserializationException e) {
                    DeserializationFailure failure = DeserializationFailure.from(e);
                    assertThat(failure.isTransient()).isFalse();
                    failures.add(failure);
                    deadLetters.send(failure.toDeadLetter(dlq, "schemas-it")).get(30, TimeUnit.SECONDS);
                    consumer.seek(failure.topicPartition(), failure.offset() + 1);
                }
            }
        }

        assertThat(read).extracting(ConsumerRecord::key).containsExactly("a", "b", "tombstone");
        assertThat(read.get(2).value()).isNull();
        assertThat(failures).singleElement().satisfies(f -> {
            PoisonPillException pill = f.poisonPill();
            assertThat(pill.reason()).isEqualTo(PoisonPillException.Reason.BAD_MAGIC_BYTE);
            assertThat(pill.partition()).isZero();
            assertThat(pill.offset()).isEqualTo(1L);
            assertThat(pill.getMessage()).contains(topic + " partition 0 offset 1");
        });
        var dead = KafkaTopics.readRaw(stack.kafkaBootstrap(), dlq, 1, Duration.ofSeconds(30));
        assertThat(dead).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("bad");
            assertThat(r.value()).isEqualTo(garbage);
            assertThat(new String(r.headers().lastHeader(DeadLetterHeaders.OFFSET).value(), StandardCharsets.UTF_8)).isEqualTo("1");
            assertThat(new String(r.headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8))
                    .startsWith("BAD_MAGIC_BYTE");
        });
    }

    private static Properties rawProducer(StackEndpoints stack) {
        Properties p = KafkaTopics.producer(stack.kafkaBootstrap(), stack.registryUrl(), ByteArraySerializer.class);
        p.put("key.serializer", StringSerializer.class.getName());
        return p;
    }

    private static Properties rawBytesProducer(StackEndpoints stack) {
        Properties p = KafkaTopics.producer(stack.kafkaBootstrap(), stack.registryUrl(), ByteArraySerializer.class);
        p.put("key.serializer", ByteArraySerializer.class.getName());
        return p;
    }
}
