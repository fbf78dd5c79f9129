package io.tessera.serde;

import io.tessera.registry.SchemaRegistry;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The Kafka Streams serde for a generated Avro class: {@link SpecificAvroSerializer} and
 * {@link SpecificAvroDeserializer} together, configured with the same keys.
 *
 * <pre>{@code
 * var arrived = new SpecificAvroSerde<>(MediaArrived.class);
 * arrived.configure(Map.of("schema.registry.url", registryUrl), false);
 * builder.stream(Topics.MEDIA_ARRIVED, Consumed.with(Serdes.String(), arrived));
 * }</pre>
 * As {@code default.value.serde} (no-arg constructor) it reads into the class the writer's schema names. In tests
 * without a registry, {@code schema.registry.url=mock://<scope>} uses an in-memory one.
 */
public class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final Class<T> type;
    private final SpecificAvroSerializer<T> serializer;
    private final SpecificAvroDeserializer<T> deserializer;

    /** For {@code default.key.serde} / {@code default.value.serde}: reads into the writer's generated class. */
    public SpecificAvroSerde() {
        this((Class<T>) null);
    }

    /** Reads into {@code type}. */
    public SpecificAvroSerde(Class<T> type) {
        this.type = type;
        this.serializer = new SpecificAvroSerializer<>();
        this.deserializer = new SpecificAvroDeserializer<>();
    }

    /** Uses a registry built by the caller (no {@code configure} needed); reads into {@code type}. */
    public SpecificAvroSerde(SchemaRegistry registry, Class<T> type, Map<String, ?> configs, boolean isKey) {
        this.type = type;
        this.serializer = new SpecificAvroSerializer<>(registry, configs, isKey);
        this.deserializer = new SpecificAvroDeserializer<>(registry, type);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Map<String, Object> withType = new HashMap<>(configs);
        if (type != null) {
            withType.put(isKey ? SerdeConfig.SPECIFIC_AVRO_KEY_TYPE : SerdeConfig.SPECIFIC_AVRO_VALUE_TYPE, type);
        }
        serializer.configure(withType, isKey);
        deserializer.configure(withType, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
