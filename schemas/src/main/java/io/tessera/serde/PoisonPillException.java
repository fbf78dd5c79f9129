package io.tessera.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record that can never be deserialized, however often it is retried: services dead-letter it and move on
 * (see {@link DeserializationFailure}). Names the topic, the partition and offset where known, the schema id when
 * the header could be read, and the reason.
 *
 * <p>A Kafka {@code Deserializer} is not told the partition and offset, so the exception thrown by
 * {@link SpecificAvroDeserializer} has only the topic; {@link DeserializationFailure} adds the location from the
 * consumer's {@code RecordDeserializationException} or the {@code ConsumerRecord}.
 */
public final class PoisonPillException extends SerializationException {

    /** Why the record cannot be read. */
    public enum Reason {
        /** Shorter than the 5-byte wire-format header. */
        TRUNCATED_HEADER,
        /** The first byte is not the Confluent wire format's magic byte 0 (plain JSON, another serializer, ...). */
        BAD_MAGIC_BYTE,
        /** The registry has no schema with the id in the header. */
        UNKNOWN_SCHEMA_ID,
        /** The writer's schema is not Avro the registry could give us. */
        INVALID_WRITER_SCHEMA,
        /** The writer's schema cannot be resolved against the reader's (the generated class's). */
        INCOMPATIBLE_WRITER_SCHEMA,
        /** No generated class for the writer's record type, and none configured. */
        UNKNOWN_RECORD_TYPE,
        /** The Avro body is truncated, garbage or longer than its schema says. */
        UNDECODABLE_PAYLOAD
    }

    public static final int UNKNOWN_PARTITION = -1;
    public static final long UNKNOWN_OFFSET = -1L;

    private final String topic;
    private final int partition;
    private final long offset;
    private final Reason reason;
    private final Integer schemaId;
    private final String detail;

    public PoisonPillException(String topic, Reason reason, Integer schemaId, String detail, Throwable cause) {
        this(topic, UNKNOWN_PARTITION, UNKNOWN_OFFSET, reason, schemaId, detail, cause);
    }

    public PoisonPillException(String topic, int partition, long offset, Reason reason, Integer schemaId, String detail,
                               Throwable cause) {
        super(message(topic, partition, offset, reason, schemaId, detail, cause), cause);
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.reason = reason;
        this.schemaId = schemaId;
        this.detail = detail;
    }

    /** The same poison pill, located at a partition and offset. */
    public PoisonPillException at(String topic, int partition, long offset) {
        return new PoisonPillException(topic, partition, offset, reason, schemaId, detail, getCause());
    }

    public String topic() {
        return topic;
    }

    /** The partition, or {@link #UNKNOWN_PARTITION}. */
    public int partition() {
        return partition;
    }

    /** The offset, or {@link #UNKNOWN_OFFSET}. */
    public long offset() {
        return offset;
    }

    public Reason reason() {
        return reason;
    }

    /** The schema id from the header, or null when the header could not be read. */
    public Integer schemaId() {
        return schemaId;
    }

    /** What was wrong, without the location (the DLQ's reason header). */
    public String detail() {
        return reason + ": " + detail;
    }

    private static String message(String topic, int partition, long offset, Reason reason, Integer schemaId,
                                  String detail, Throwable cause) {
        StringBuilder text = new StringBuilder("Undeserializable record on topic ").append(topic);
        if (partition != UNKNOWN_PARTITION) {
            text.append(" partition ").append(partition);
        }
        if (offset != UNKNOWN_OFFSET) {
            text.append(" offset ").append(offset);
        }
        if (schemaId != null) {
            text.append(" (schema id ").append(schemaId).append(')');
        }
        text.append(": ").append(reason).append(": ").append(detail);
        if (cause != null) {
            text.append(" [cause: ").append(cause).append(']');
        }
        return text.toString();
    }
}
