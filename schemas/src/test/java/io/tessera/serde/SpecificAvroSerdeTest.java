package io.tessera.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.events.CuratedPair;
import io.tessera.events.EventSchemas;
import io.tessera.events.MediaArrived;
import io.tessera.events.MediaIndexed;
import io.tessera.events.ModelVersion;
import io.tessera.events.SampleEvents;
import io.tessera.registry.InMemorySchemaRegistry;
import io.tessera.registry.SchemaNotFoundException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpecificAvroSerdeTest {

    private final CountingRegistry registry = new CountingRegistry();

    @Test
    void recordsAreWrittenAsMagicByteThenBigEndianSchemaIdThenPlainAvroBinary() throws Exception {
        MediaArrived record = SampleEvents.mediaArrivedReference();
        // Push the id past one byte so the byte order shows.
        for (int i = 0; i < 300; i++) {
            registry.delegate.register("filler-" + i, org.apache.avro.Schema.createFixed("F" + i, null, "x", 1));
        }
        var serializer = new SpecificAvroSerializer<MediaArrived>(registry, Map.of(), false);

        byte[] bytes = serializer.serialize("media.arrived", record);

        int id = registry.delegate.lookupId("media.arrived-value", EventSchemas.portable(MediaArrived.getClassSchema()));
        assertThat(id).isGreaterThan(255);
        assertThat(Arrays.copyOfRange(bytes, 0, 5))
                .containsExactly(0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id);
        assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).isEqualTo(plainAvro(record));
    }

    @ParameterizedTest
    @ValueSource(strings = {"MediaArrived", "MediaIndexed", "CuratedPair", "ModelVersion"})
    void everyEventRoundTripsWithEveryFieldEqual(String event) {
        SpecificRecord record = SampleEvents.oneOfEach().get(event);
        var serializer = new SpecificAvroSerializer<SpecificRecord>(registry, Map.of(), false);
        var deserializer = new SpecificAvroDeserializer<SpecificRecord>(registry, null);

        SpecificRecord back = deserializer.deserialize("t", serializer.serialize("t", record));

        assertThat(back).isEqualTo(record).isInstanceOf(record.getClass());
    }

    @Test
    void allContentShapesRoundTrip() {
        var serde = new SpecificAvroSerde<>(registry, MediaArrived.class, Map.of(), false);
        for (MediaArrived record : new MediaArrived[] {SampleEvents.mediaArrivedInline(65_536),
                SampleEvents.mediaArrivedReference(), SampleEvents.mediaArrivedText()}) {
            assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", record))).isEqualTo(record);
        }
    }

    @Test
    void tombstonesStayNullBothWays() {
        var serde = new SpecificAvroSerde<>(registry, MediaArrived.class, Map.of(), false);

        assertThat(serde.serializer().serialize("media.arrived", null)).isNull();
        assertThat(serde.deserializer().deserialize("media.arrived", null)).isNull();
        assertThat(registry.registers.get() + registry.fetches.get()).isZero();
    }

    @Test
    void valuesAndKeysUseTopicNameStrategySubjects() {
        new SpecificAvroSerializer<ModelVersion>(registry, Map.of(), false).serialize("models.published", SampleEvents.modelVersion());
        new SpecificAvroSerializer<ModelVersion>(registry, Map.of(), true).serialize("models.published", SampleEvents.modelVersion());

        assertThat(registry.delegate.latestVersion("models.published-value").schema().getName()).isEqualTo("ModelVersion");
        assertThat(registry.delegate.latestVersion("models.published-key").schema().getName()).isEqualTo("ModelVersion");
    }

    @Test
    void theSchemaIsRegisteredOnceAndReadersAreBuiltOncePerWriterId() {
        var serializer = new SpecificAvroSerializer<MediaIndexed>(registry, Map.of(), false);
        var deserializer = new SpecificAvroDeserializer<>(registry, MediaIndexed.class);

        for (int i = 0; i < 1_000; i++) {
            deserializer.deserialize("media.indexed", serializer.serialize("media.indexed", SampleEvents.mediaIndexed()));
        }

        assertThat(registry.registers.get()).isEqualTo(1);
        assertThat(registry.fetches.get()).isEqualTo(1);
    }

    @Test
    void withoutAutoRegistrationAnUnregisteredSchemaFailsNamingTheSubject() {
        var serializer = new SpecificAvroSerializer<CuratedPair>(registry, Map.of("auto.register.schemas", "false"), false);

        assertThatThrownBy(() -> serializer.serialize("pairs.curated", SampleEvents.curatedPair()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("pairs.curated-value")
                .hasMessageContaining("auto.register.schemas=false");
        assertThat(registry.registers.get()).isZero();
    }

    @Test
    void withoutAutoRegistrationARegisteredSchemaIsLookedUpNotRegistered() {
        int id = registry.delegate.register("pairs.curated-value", EventSchemas.portable(CuratedPair.getClassSchema()));
        var serializer = new SpecificAvroSerializer<CuratedPair>(registry, Map.of("auto.register.schemas", "false"), false);

        byte[] bytes = serializer.serialize("pairs.curated", SampleEvents.curatedPair());

        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
        assertThat(registry.registers.get()).isZero();
        assertThat(registry.lookups.get()).isEqualTo(1);
    }

    @Test
    void useLatestVersionIsRejectedWithAPointerToTheSupportedMode() {
        assertThatThrownBy(() -> new SpecificAvroSerializer<MediaArrived>(registry, Map.of("use.latest.version", "true"), false))
                .hasMessageContaining("auto.register.schemas=false");
    }

    @Test
    void kafkaInstantiatesAndConfiguresTheClassesByNameWithStringValuesAsSmallRyeDoes() throws Exception {
        String scope = "smallrye-" + UUID.randomUUID();
        Map<String, Object> channel = new HashMap<>();
        channel.put("schema.registry.url", "mock://" + scope);
        channel.put("auto.register.schemas", "true");
        channel.put("specific.avro.value.type", MediaArrived.class.getName());
        channel.put("topic", "media.arrived");
        channel.put("failure-strategy", "dead-letter-queue");
        try {
            @SuppressWarnings("unchecked")
            Serializer<MediaArrived> serializer = Utils.newInstance(SpecificAvroSerializer.class.getName(), Serializer.class);
            @SuppressWarnings("unchecked")
            Deserializer<MediaArrived> deserializer = Utils.newInstance(SpecificAvroDeserializer.class.getName(), Deserializer.class);
            serializer.configure(channel, false);
            deserializer.configure(channel, false);

            MediaArrived record = SampleEvents.mediaArrivedText();
            assertThat(deserializer.deserialize("media.arrived", serializer.serialize("media.arrived", record))).isEqualTo(record);
            assertThat(InMemorySchemaRegistry.forScope(scope).latestVersion("media.arrived-value").id()).isPositive();
        } finally {
            InMemorySchemaRegistry.dropScope(scope);
        }
    }

    @Test
    void theStreamsSerdeConfiguresBothHalvesWithItsType() {
        String scope = "streams-" + UUID.randomUUID();
        try (var serde = new SpecificAvroSerde<>(MediaIndexed.class)) {
            serde.configure(Map.of("schema.registry.url", "mock://" + scope), false);
            MediaIndexed record = SampleEvents.mediaIndexed();

            assertThat(serde.deserializer().deserialize("media.indexed", serde.serializer().serialize("media.indexed", record)))
                    .isEqualTo(record);
        } finally {
            InMemorySchemaRegistry.dropScope(scope);
        }
    }

    @Test
    void aRecordThatBreaksItsSchemaFailsToSerializeNamingTypeAndTopic() {
        MediaArrived broken = SampleEvents.mediaArrivedText();
        broken.put("tenant", null);
        var serializer = new SpecificAvroSerializer<MediaArrived>(registry, Map.of(), false);

        assertThatThrownBy(() -> serializer.serialize("media.arrived", broken))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("io.tessera.events.MediaArrived")
                .hasMessageContaining("media.arrived");
    }

    @Test
    void anUnconfiguredSerdeSaysSo() {
        assertThatThrownBy(() -> new SpecificAvroDeserializer<MediaArrived>().deserialize("t", new byte[] {0, 0, 0, 0, 1}))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("configure");
        assertThatThrownBy(() -> registry.delegate.schemaById(12345)).isInstanceOf(SchemaNotFoundException.class);
    }

    static byte[] plainAvro(SpecificRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<SpecificRecord>(record.getSchema(),
                org.apache.avro.specific.SpecificData.getForSchema(record.getSchema())).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
