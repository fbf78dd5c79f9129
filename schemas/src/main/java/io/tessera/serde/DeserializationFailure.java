package io.tessera.serde;

import io.tessera.registry.RegistryUnavailableException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record that failed to deserialize, with where it came from: what a consumer loop, a Kafka Streams
 * {@code DeserializationExceptionHandler} or a SmallRye failure handler needs to decide between retrying and
 * dead-lettering, and to dead-letter with provenance.
 *
 * <p>How services use it:
 * <ul>
 *   <li>Plain consumer loop: {@code poll()} throws {@link RecordDeserializationException} (it carries partition,
 *       offset and the original bytes). {@code var f = DeserializationFailure.from(e);} If {@link #isTransient()}
 *       (the registry was down), back off and poll again: the consumer has not moved past the record. Otherwise
 *       send {@link #toDeadLetter} to the DLQ, then {@code consumer.seek(f.topicPartition(), f.offset() + 1)}.</li>
 *   <li>Kafka Streams: in the {@code DeserializationExceptionHandler}, {@link #from(ConsumerRecord, Throwable)} with
 *       the raw record; dead-letter and CONTINUE for poison pills, FAIL for transient ones (the thread is replaced
 *       and re-reads the record).</li>
 *   <li>SmallRye: set {@code fail-on-deserialization-failure=false} and {@code failure-strategy=dead-letter-queue}
 *       on the channel; the message arrives with a null payload, and nacking it dead-letters the original bytes
 *       with SmallRye's provenance headers (the same names as {@link DeadLetterHeaders}).
 *       {@link #isTransient(Headers)} tells whether to nack (poison pill) or to stop and retry (registry down).</li>
 * </ul>
 *
 * @param topic the topic the record was read from
 * @param partition its partition
 * @param offset its offset
 * @param key the original key bytes (may be null)
 * @param value the original value bytes (may be null)
 * @param headers the original headers
 * @param cause what went wrong: a {@link PoisonPillException}, a {@link RegistryUnavailableException}, or another
 *              deserializer's exception
 */
public record DeserializationFailure(String topic, int partition, long offset, byte[] key, byte[] value,
                                     Headers headers, Throwable cause) {

    public DeserializationFailure {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(cause, "cause");
        headers = headers == null ? new RecordHeaders() : headers;
    }

    /** From the exception a {@code KafkaConsumer} throws when a deserializer failed during {@code poll()}. */
    public static DeserializationFailure from(RecordDeserializationException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return new DeserializationFailure(e.topicPartition().topic(), e.topicPartition().partition(), e.offset(),
                bytes(e.keyBuffer()), bytes(e.valueBuffer()), e.headers(), cause);
    }

    /** From a raw record (Kafka Streams' handler, or a consumer reading bytes) and what its deserializer threw. */
    public static DeserializationFailure from(ConsumerRecord<byte[], byte[]> record, Throwable cause) {
        return new DeserializationFailure(record.topic(), record.partition(), record.offset(), record.key(),
                record.value(), record.headers(), cause);
    }

    /** Whether the failure is transient (the registry was unavailable): retry, never dead-letter. */
    public boolean isTransient() {
        return isTransient(cause);
    }

    /** Whether a deserialization exception, or any of its causes, is a transient registry failure. */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RegistryUnavailableException) {
                return true;
            }
        }
        return false;
    }

    /** Whether the headers of a record that failed in {@link SpecificAvroDeserializer} mark a transient failure. */
    public static boolean isTransient(Headers headers) {
        return headers != null && headers.lastHeader(SpecificAvroDeserializer.TRANSIENT_FAILURE_HEADER) != null;
    }

    /**
     * The failure as a located poison pill: the deserializer's own {@link PoisonPillException} with partition and
     * offset added, or one wrapping another deserializer's exception.
     *
     * @throws IllegalStateException when the failure is transient: it is no poison pill
     */
    public PoisonPillException poisonPill() {
        requirePermanent();
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PoisonPillException pill) {
                return pill.at(topic, partition, offset);
            }
        }
        return new PoisonPillException(topic, partition, offset, PoisonPillException.Reason.UNDECODABLE_PAYLOAD, null,
                String.valueOf(cause.getMessage()), cause);
    }

    /**
     * The record to send to a dead-letter topic: the original key, value and headers, plus the provenance headers of
     * {@link DeadLetterHeaders}.
     *
     * @throws IllegalStateException when the failure is transient: those are retried, never dead-lettered
     */
    public ProducerRecord<byte[], byte[]> toDeadLetter(String deadLetterTopic, String service) {
        PoisonPillException pill = poisonPill();
        RecordHeaders out = new RecordHeaders();
        for (Header header : headers) {
            if (!header.key().equals(SpecificAvroDeserializer.TRANSIENT_FAILURE_HEADER)) {
                out.add(header.key(), header.value());
            }
        }
        put(out, DeadLetterHeaders.REASON, pill.detail());
        Throwable root = pill.getCause();
        if (root != null) {
            put(out, DeadLetterHeaders.CAUSE, String.valueOf(root.getMessage()));
            put(out, DeadLetterHeaders.CAUSE_CLASS, root.getClass().getName());
        }
        put(out, DeadLetterHeaders.EXCEPTION_CLASS, pill.getClass().getName());
        put(out, DeadLetterHeaders.TOPIC, topic);
        put(out, DeadLetterHeaders.PARTITION, Integer.toString(partition));
        put(out, DeadLetterHeaders.OFFSET, Long.toString(offset));
        put(out, DeadLetterHeaders.SERVICE, service);
        return new ProducerRecord<>(deadLetterTopic, null, key, value, out);
    }

    /** The topic and partition the record came from. */
    public org.apache.kafka.common.TopicPartition topicPartition() {
        return new org.apache.kafka.common.TopicPartition(topic, partition);
    }

    @Override
    public String toString() {
        return "DeserializationFailure[" + topic + "-" + partition + "@" + offset + (isTransient() ? ", transient" : "")
                + ": " + cause + "]";
    }

    private void requirePermanent() {
        if (isTransient()) {
            throw new IllegalStateException("The failure at " + topic + "-" + partition + "@" + offset
                    + " is transient (schema registry unavailable): retry the record, do not dead-letter it", cause);
        }
    }

    private static void put(RecordHeaders headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}
