package io.tessera.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.registry.RegistryUnavailableException;
import io.tessera.serde.PoisonPillException.Reason;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeserializationFailureTest {

    private static final byte[] KEY = "img-1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VALUE = {9, 9, 9};

    @Test
    void theConsumersExceptionGivesPartitionOffsetAndTheOriginalBytes() {
        var pill = new PoisonPillException("media.arrived", Reason.BAD_MAGIC_BYTE, null, "first byte 0x09", null);
        var headers = new RecordHeaders().add("trace", new byte[] {1});
        var thrown = new RecordDeserializationException(RecordDeserializationException.DeserializationExceptionOrigin.VALUE,
                new TopicPartition("media.arrived", 3), 42L, 0L, TimestampType.CREATE_TIME, ByteBuffer.wrap(KEY),
                ByteBuffer.wrap(VALUE), headers, "failed", pill);

        DeserializationFailure failure = DeserializationFailure.from(thrown);

        assertThat(failure.isTransient()).isFalse();
        assertThat(failure.poisonPill()).satisfies(located -> {
            assertThat(located.partition()).isEqualTo(3);
            assertThat(located.offset()).isEqualTo(42L);
            assertThat(located.getMessage()).contains("media.arrived partition 3 offset 42").contains("BAD_MAGIC_BYTE");
        });
        assertThat(failure.key()).isEqualTo(KEY);
        assertThat(failure.value()).isEqualTo(VALUE);
    }

    @Test
    void theDeadLetterKeepsKeyValueAndHeadersAndAddsProvenance() {
        var record = new ConsumerRecord<>("media.image", 1, 7L, KEY, VALUE);
        record.headers().add("trace", new byte[] {1});
        var pill = new PoisonPillException("media.image", Reason.UNKNOWN_SCHEMA_ID, 99, "no schema 99", new IllegalStateException("404"));

        ProducerRecord<byte[], byte[]> dead = DeserializationFailure.from(record, pill).toDeadLetter("media.dlq", "image-indexer");

        assertThat(dead.topic()).isEqualTo("media.dlq");
        assertThat(dead.key()).isEqualTo(KEY);
        assertThat(dead.value()).isEqualTo(VALUE);
        assertThat(header(dead, "trace")).isEqualTo("\u0001");
        assertThat(header(dead, DeadLetterHeaders.REASON)).isEqualTo("UNKNOWN_SCHEMA_ID: no schema 99");
        assertThat(header(dead, DeadLetterHeaders.EXCEPTION_CLASS)).isEqualTo(PoisonPillException.class.getName());
        assertThat(header(dead, DeadLetterHeaders.CAUSE_CLASS)).isEqualTo(IllegalStateException.class.getName());
        assertThat(header(dead, DeadLetterHeaders.TOPIC)).isEqualTo("media.image");
        assertThat(header(dead, DeadLetterHeaders.PARTITION)).isEqualTo("1");
        assertThat(header(dead, DeadLetterHeaders.OFFSET)).isEqualTo("7");
        assertThat(header(dead, DeadLetterHeaders.SERVICE)).isEqualTo("image-indexer");
    }

    @Test
    void anotherDeserializersExceptionIsStillDeadLetteredAsAPoisonPill() {
        var record = new ConsumerRecord<>("media.text", 0, 5L, KEY, VALUE);

        PoisonPillException pill = DeserializationFailure.from(record, new IllegalArgumentException("bad json")).poisonPill();

        assertThat(pill.reason()).isEqualTo(Reason.UNDECODABLE_PAYLOAD);
        assertThat(pill.getMessage()).contains("media.text partition 0 offset 5").contains("bad json");
    }

    @Test
    void aRegistryOutageIsTransientAndRefusesToBeDeadLettered() {
        var record = new ConsumerRecord<>("media.arrived", 0, 1L, KEY, VALUE);
        var outage = new org.apache.kafka.common.KafkaException(new RegistryUnavailableException("down", new ConnectException()));

        DeserializationFailure failure = DeserializationFailure.from(record, outage);

        assertThat(failure.isTransient()).isTrue();
        assertThatThrownBy(() -> failure.toDeadLetter("media.dlq", "svc"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("retry");
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String key) {
        return Optional.ofNullable(record.headers().lastHeader(key)).map(h -> new String(h.value(), StandardCharsets.UTF_8)).orElse(null);
    }
}
