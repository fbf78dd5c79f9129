package io.tessera.serde;

import io.tessera.registry.InvalidSchemaException;
import io.tessera.registry.RegistryConfig;
import io.tessera.registry.RegistryUnavailableException;
import io.tessera.registry.SchemaNotFoundException;
import io.tessera.registry.SchemaRegistries;
import io.tessera.registry.SchemaRegistry;
import io.tessera.serde.PoisonPillException.Reason;
import io.tessera.registry.internal.AvroCompatibility;
import io.tessera.serde.internal.BoundedDecoder;
import io.tessera.serde.internal.BoundedSpecificDatumReader;
import io.tessera.serde.internal.WireFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads records in the Confluent wire format into generated Avro classes, resolving the writer's schema (fetched by
 * the id in the header, cached) against the reader's with Avro's schema resolution: data from older writers gets
 * the reader's defaults for new fields, data from newer writers loses fields the reader does not know and reads
 * unknown enum symbols as the enum's default. So evolution works both ways.
 *
 * <p>The reader's class is {@value SerdeConfig#SPECIFIC_AVRO_VALUE_TYPE} ({@value SerdeConfig#SPECIFIC_AVRO_KEY_TYPE}
 * for keys) when set, otherwise the generated class named by the writer's schema. A null record (a tombstone) is
 * read as null. Usable wherever Kafka takes a deserializer class name, SmallRye channels included.
 *
 * <p>Failures: a record that can never be read throws {@link PoisonPillException} naming the topic and the reason
 * (services dead-letter it: see {@link DeserializationFailure}); a registry that cannot be reached throws
 * {@link RegistryUnavailableException} (transient: leave the record where it is and retry). The consumer wraps
 * either in a {@code RecordDeserializationException} carrying partition and offset.
 */
public class SpecificAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    /**
     * Header added to the record when reading it failed only because the registry was unavailable, so failure
     * handlers that see headers but not the exception (SmallRye's) can tell a transient failure from a poison pill.
     */
    public static final String TRANSIENT_FAILURE_HEADER = "tessera-deserialization-transient";

    private SchemaRegistry registry;
    private Class<T> readerType;
    private final Map<Integer, WriterReader> readers = new ConcurrentHashMap<>();

    /** For Kafka: configured through {@link #configure}. */
    public SpecificAvroDeserializer() {
    }

    /**
     * For code that builds its own clients.
     *
     * @param readerType the generated class to read into, or null for the class the writer's schema names
     */
    public SpecificAvroDeserializer(SchemaRegistry registry, Class<T> readerType) {
        this.registry = registry;
        this.readerType = readerType;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Class<T> configured = SerdeConfig.readerType(configs, isKey);
        if (configured != null) {
            this.readerType = configured;
        }
        if (this.registry == null) {
            this.registry = SchemaRegistries.shared(RegistryConfig.fromProperties(configs));
        }
    }

    @Override
    public T deserialize(String topic, Headers headers, byte[] data) {
        try {
            return deserialize(topic, data);
        } catch (RegistryUnavailableException e) {
            if (headers != null) {
                try {
                    headers.add(TRANSIENT_FAILURE_HEADER, "true".getBytes(StandardCharsets.UTF_8));
                } catch (IllegalStateException readOnly) {
                    // Read-only headers: the exception itself still says it is transient.
                }
            }
            throw e;
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("SpecificAvroDeserializer is not configured: call configure() or pass a registry");
        }
        if (data.length < WireFormat.HEADER_LENGTH) {
            throw new PoisonPillException(topic, Reason.TRUNCATED_HEADER, null, "the record has " + data.length
                    + " byte(s), fewer than the 5-byte Confluent wire-format header", null);
        }
        if (data[0] != WireFormat.MAGIC_BYTE) {
            throw new PoisonPillException(topic, Reason.BAD_MAGIC_BYTE, null, String.format(
                    "the first byte is 0x%02x, not the Confluent wire format's magic byte 0x00 (written by another"
                            + " serializer, or plain text/JSON?)", data[0] & 0xff), null);
        }
        int schemaId = WireFormat.readSchemaId(data);
        WriterReader reader = readers.get(schemaId);
        if (reader == null) {
            reader = readerFor(topic, schemaId);
            readers.putIfAbsent(schemaId, reader);
        }
        return reader.read(topic, schemaId, data);
    }

    /**
     * The Avro model that instantiates the reader's classes. The generated class's own model resolves nested
     * record classes through Avro's class loader; where the event classes live in another loader (Quarkus
     * dev and test mode) that yields the wrong copies and every record fails with a ClassCastException. So
     * the model is bound to the reader class's own loader, with the generated class's logical-type
     * conversions copied over.
     */
    private static SpecificData modelFor(Class<?> type) {
        SpecificData generated = SpecificData.getForClass(type);
        if (generated.getClassLoader() == type.getClassLoader()) {
            return generated;
        }
        SpecificData model = new SpecificData(type.getClassLoader());
        generated.getConversions().forEach(model::addLogicalTypeConversion);
        return model;
    }

    private WriterReader readerFor(String topic, int schemaId) {
        Schema writer;
        try {
            writer = registry.schemaById(schemaId);
        } catch (SchemaNotFoundException e) {
            throw new PoisonPillException(topic, Reason.UNKNOWN_SCHEMA_ID, schemaId,
                    "the schema registry has no schema with id " + schemaId, e);
        } catch (InvalidSchemaException e) {
            throw new PoisonPillException(topic, Reason.INVALID_WRITER_SCHEMA, schemaId, e.getMessage(), e);
        }
        Class<?> type = readerType;
        if (type == null) {
            type = writer.getType() == Schema.Type.RECORD ? SpecificData.get().getClass(writer) : null;
            if (type == null || !SpecificRecord.class.isAssignableFrom(type)) {
                return WriterReader.failing(Reason.UNKNOWN_RECORD_TYPE, "no generated class for the writer's type "
                        + writer.getFullName() + " and no " + SerdeConfig.SPECIFIC_AVRO_VALUE_TYPE + " configured");
            }
        }
        SpecificData model = modelFor(type);
        Schema readerSchema = model.getSchema(type);
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return WriterReader.failing(Reason.INCOMPATIBLE_WRITER_SCHEMA, "the writer's schema "
                    + writer.getFullName() + " cannot be read as " + readerSchema.getFullName() + ": "
                    + compatibility.getResult().getIncompatibilities().stream()
                    .map(i -> AvroCompatibility.describe(i, readerSchema)).toList());
        }
        return new WriterReader(new BoundedSpecificDatumReader<>(writer, readerSchema, model), null, null);
    }

    /** The reader for one writer schema id, or why records with that id cannot be read. */
    private record WriterReader(BoundedSpecificDatumReader<Object> datumReader, Reason failure, String failureDetail) {

        static WriterReader failing(Reason reason, String detail) {
            return new WriterReader(null, reason, detail);
        }

        @SuppressWarnings("unchecked")
        <T> T read(String topic, int schemaId, byte[] data) {
            if (datumReader == null) {
                throw new PoisonPillException(topic, failure, schemaId, failureDetail, null);
            }
            int length = data.length - WireFormat.HEADER_LENGTH;
            BoundedDecoder decoder = new BoundedDecoder(
                    DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_LENGTH, length, null), length);
            Object record;
            try {
                record = datumReader.read(null, decoder);
            } catch (IOException | RuntimeException e) {
                // The reader was built and checked against this writer schema, so any failure here is in the bytes.
                throw new PoisonPillException(topic, Reason.UNDECODABLE_PAYLOAD, schemaId,
                        "the Avro body does not decode with the writer's schema (truncated or garbage)", e);
            }
            try {
                if (!decoder.isEnd()) {
                    throw new PoisonPillException(topic, Reason.UNDECODABLE_PAYLOAD, schemaId,
                            "bytes are left over after the record: the body is longer than its schema allows", null);
                }
            } catch (IOException e) {
                throw new PoisonPillException(topic, Reason.UNDECODABLE_PAYLOAD, schemaId, "cannot check the body's end", e);
            }
            return (T) record;
        }
    }
}
