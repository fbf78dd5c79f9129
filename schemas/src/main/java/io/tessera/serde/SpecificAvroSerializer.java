package io.tessera.serde;

import io.tessera.events.EventSchemas;
import io.tessera.registry.RegistryConfig;
import io.tessera.registry.SchemaNotFoundException;
import io.tessera.registry.SchemaRegistries;
import io.tessera.registry.SchemaRegistry;
import io.tessera.registry.SubjectNotFoundException;
import io.tessera.serde.internal.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes generated Avro records in the Confluent wire format, registering (or looking up) the schema under the
 * TopicNameStrategy subject ({@code <topic>-value} / {@code <topic>-key}).
 *
 * <p>Configured with Confluent's key names (see {@link SerdeConfig}); usable wherever Kafka takes a serializer
 * class name: {@code value.serializer=io.tessera.serde.SpecificAvroSerializer}, including SmallRye channels
 * ({@code mp.messaging.outgoing.<channel>.value.serializer}). A null record (a tombstone) is written as null.
 *
 * <p>The schema registered is the portable form of the class's schema ({@link EventSchemas#portable}), so Java and
 * non-Java publishers share ids. Ids are cached per subject: after the first record of a type on a topic no
 * registry call is made. A registry that cannot be reached gives {@link io.tessera.registry.RegistryUnavailableException}
 * (transient: retry the send later).
 */
public class SpecificAvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    private SchemaRegistry registry;
    private boolean isKey;
    private boolean autoRegister = true;
    private final Map<Schema, SchemaWriter> writers = new ConcurrentHashMap<>();

    /** For Kafka: configured through {@link #configure}. */
    public SpecificAvroSerializer() {
    }

    /** For code that builds its own clients: a registry and the serde keys of {@link SerdeConfig}. */
    public SpecificAvroSerializer(SchemaRegistry registry, Map<String, ?> configs, boolean isKey) {
        this.registry = registry;
        this.isKey = isKey;
        this.autoRegister = SerdeConfig.autoRegister(configs);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        this.autoRegister = SerdeConfig.autoRegister(configs);
        if (this.registry == null) {
            this.registry = SchemaRegistries.shared(RegistryConfig.fromProperties(configs));
        }
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("SpecificAvroSerializer is not configured: call configure() or pass a registry");
        }
        SchemaWriter writer = writers.computeIfAbsent(record.getSchema(), SchemaWriter::new);
        int schemaId = writer.idFor(topic);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(HEADER_PLACEHOLDER, 0, WireFormat.HEADER_LENGTH);
        try {
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            writer.datumWriter.write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot serialize " + record.getSchema().getFullName() + " for topic " + topic
                    + ": " + e.getMessage(), e);
        }
        byte[] bytes = out.toByteArray();
        WireFormat.writeHeader(bytes, schemaId);
        return bytes;
    }

    private static final byte[] HEADER_PLACEHOLDER = new byte[WireFormat.HEADER_LENGTH];

    /** Everything derived once per record schema: the portable schema, the writer and the id per topic. */
    private final class SchemaWriter {
        private final Schema portable;
        private final SpecificDatumWriter<Object> datumWriter;
        private final Map<String, Integer> idsByTopic = new ConcurrentHashMap<>();

        SchemaWriter(Schema schema) {
            this.portable = EventSchemas.portable(schema);
            this.datumWriter = new SpecificDatumWriter<>(schema, SpecificData.getForSchema(schema));
        }

        int idFor(String topic) {
            Integer id = idsByTopic.get(topic);
            if (id == null) {
                id = resolve(topic);
                idsByTopic.put(topic, id);
            }
            return id;
        }

        private int resolve(String topic) {
            String subject = TopicNameStrategy.subject(topic, isKey);
            if (autoRegister) {
                return registry.register(subject, portable);
            }
            try {
                return registry.lookupId(subject, portable);
            } catch (SubjectNotFoundException | SchemaNotFoundException e) {
                throw new SerializationException("Schema " + portable.getFullName() + " is not registered under subject '"
                        + subject + "' and " + SerdeConfig.AUTO_REGISTER_SCHEMAS + "=false: register it first (the release"
                        + " pipeline does) or enable auto-registration outside production", e);
            }
        }
    }
}
