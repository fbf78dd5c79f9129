package io.tessera.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.events.CuratedPair;
import io.tessera.events.EventSchemas;
import io.tessera.events.MediaArrived;
import io.tessera.events.SampleEvents;
import io.tessera.registry.CompatibilityLevel;
import io.tessera.registry.RegistryUnavailableException;
import io.tessera.serde.PoisonPillException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class PoisonPillTest {

    private static final String TOPIC = "media.arrived";

    private final CountingRegistry registry = new CountingRegistry();
    private final SpecificAvroSerializer<SpecificRecord> serializer = new SpecificAvroSerializer<>(registry, Map.of(), false);
    private final SpecificAvroDeserializer<MediaArrived> deserializer = new SpecificAvroDeserializer<>(registry, MediaArrived.class);

    @Test
    void aWrongMagicByteIsAPoisonPillNamingTheTopicAndTheByte() {
        byte[] json = "{\"mediaId\":\"x\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, json))
                .isInstanceOfSatisfying(PoisonPillException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.BAD_MAGIC_BYTE);
                    assertThat(e.topic()).isEqualTo(TOPIC);
                    assertThat(e.partition()).isEqualTo(PoisonPillException.UNKNOWN_PARTITION);
                })
                .hasMessageContaining("media.arrived")
                .hasMessageContaining("0x7b");
    }

    @Test
    void fewerBytesThanTheHeaderIsAPoisonPill() {
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[] {0, 0, 1}))
                .isInstanceOfSatisfying(PoisonPillException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TRUNCATED_HEADER))
                .hasMessageContaining("3 byte(s)");
    }

    @Test
    void anUnknownSchemaIdIsAPoisonPillCarryingTheId() {
        byte[] record = {0, 0, 0, 0x30, 0x39, 2, 'a'};

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, record))
                .isInstanceOfSatisfying(PoisonPillException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA_ID);
                    assertThat(e.schemaId()).isEqualTo(12345);
                })
                .hasMessageContaining("12345");
    }

    @Test
    void aTruncatedBodyIsAPoisonPill() {
        byte[] whole = serializer.serialize(TOPIC, SampleEvents.mediaArrivedInline(4096));
        byte[] truncated = Arrays.copyOf(whole, whole.length / 2);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, truncated))
                .isInstanceOfSatisfying(PoisonPillException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNDECODABLE_PAYLOAD));
    }

    @Test
    void bytesLeftAfterTheRecordAreAPoisonPill() {
        byte[] whole = serializer.serialize(TOPIC, SampleEvents.mediaArrivedText());
        byte[] longer = Arrays.copyOf(whole, whole.length + 3);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, longer))
                .isInstanceOfSatisfying(PoisonPillException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNDECODABLE_PAYLOAD))
                .hasMessageContaining("left over");
    }

    @Test
    void garbageAfterAValidHeaderNeverEscapesAsAnythingButAPoisonPill() {
        byte[] header = Arrays.copyOf(serializer.serialize("pairs.curated", SampleEvents.curatedPair()), 5);
        var pairs = new SpecificAvroDeserializer<>(registry, CuratedPair.class);
        Random random = new Random(7);
        int decoded = 0;
        for (int i = 0; i < 3_000; i++) {
            byte[] garbage = new byte[5 + random.nextInt(200)];
            random.nextBytes(garbage);
            System.arraycopy(header, 0, garbage, 0, 5);
            try {
                pairs.deserialize("pairs.curated", garbage);
                decoded++;
            } catch (PoisonPillException expected) {
                assertThat(expected.reason()).isEqualTo(Reason.UNDECODABLE_PAYLOAD);
            }
        }
        assertThat(decoded).isLessThan(3_000);
    }

    @Test
    void aWriterSchemaTheReaderCannotResolveIsAPoisonPill() {
        Schema incompatible = SchemaVariants.withFieldType(MediaArrived.getClassSchema(), "mediaId", "int");
        registry.delegate.setCompatibility("elsewhere-value", CompatibilityLevel.NONE);
        int id = registry.delegate.register("elsewhere-value", incompatible);
        byte[] record = {0, 0, 0, 0, (byte) id, 2};

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, record))
                .isInstanceOfSatisfying(PoisonPillException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE_WRITER_SCHEMA))
                .hasMessageContaining("mediaId");
    }

    @Test
    void aWriterTypeWithNoGeneratedClassIsAPoisonPillWhenNoReaderTypeIsConfigured() {
        Schema foreign = SchemaBuilder.record("Thing").namespace("com.elsewhere").fields().requiredString("x").endRecord();
        int id = registry.delegate.register("things-value", foreign);
        var byWriterName = new SpecificAvroDeserializer<SpecificRecord>(registry, null);

        assertThatThrownBy(() -> byWriterName.deserialize("things", new byte[] {0, 0, 0, 0, (byte) id, 2, 'a'}))
                .isInstanceOfSatisfying(PoisonPillException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_RECORD_TYPE))
                .hasMessageContaining("com.elsewhere.Thing");
    }

    @Test
    void anUnavailableRegistryIsTransientNotAPoisonPillAndMarksTheHeaders() {
        int id = registry.delegate.register("media.arrived-value", EventSchemas.portable(MediaArrived.getClassSchema()));
        registry.unavailable = true;
        var headers = new RecordHeaders();

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, headers, new byte[] {0, 0, 0, 0, (byte) id, 2}))
                .isInstanceOf(RegistryUnavailableException.class);
        assertThat(DeserializationFailure.isTransient(headers)).isTrue();
    }

    @Test
    void afterTheRegistryComesBackTheSameRecordReads() {
        byte[] bytes = serializer.serialize(TOPIC, SampleEvents.mediaArrivedReference());
        registry.unavailable = true;
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes)).isInstanceOf(RegistryUnavailableException.class);

        registry.unavailable = false;

        assertThat(deserializer.deserialize(TOPIC, bytes)).isEqualTo(SampleEvents.mediaArrivedReference());
    }

    @Test
    void aStringClaimingMoreBytesThanTheRecordIsAPoisonPillBeforeAnyAllocation() {
        byte[] header = Arrays.copyOf(serializer.serialize(TOPIC, SampleEvents.mediaArrivedText()), 5);
        // mediaId's length as a zig-zag varint: 1,500,000,000 bytes, in a record of a few bytes.
        byte[] record = concat(header, zigZagVarint(1_500_000_000L), new byte[] {'a', 'b'});

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, record))
                .isInstanceOfSatisfying(PoisonPillException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNDECODABLE_PAYLOAD))
                .rootCause().hasMessageContaining("claims 1500000000 bytes");
    }

    @Test
    void anArrayClaimingABillionItemsIsAPoisonPill() {
        byte[] valid = serializer.serialize("pairs.curated", SampleEvents.curatedPair());
        var pairs = new SpecificAvroDeserializer<>(registry, CuratedPair.class);
        CuratedPair sample = SampleEvents.curatedPair();
        sample.setNegatives(java.util.List.of());
        byte[] empty = serializer.serialize("pairs.curated", sample);
        // The empty array is the single 0 byte just before weight (8 bytes), source and createdAt; find it by diffing.
        int at = firstDifference(valid, empty);
        byte[] hostile = concat(Arrays.copyOf(empty, at), zigZagVarint(1_000_000_000L), Arrays.copyOfRange(empty, at + 1, empty.length));

        assertThatThrownBy(() -> pairs.deserialize("pairs.curated", hostile))
                .isInstanceOfSatisfying(PoisonPillException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNDECODABLE_PAYLOAD));
    }

    private static int firstDifference(byte[] a, byte[] b) {
        int i = 0;
        while (i < Math.min(a.length, b.length) && a[i] == b[i]) {
            i++;
        }
        return i;
    }

    private static byte[] zigZagVarint(long value) {
        long n = (value << 1) ^ (value >> 63);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while ((n & ~0x7FL) != 0) {
            out.write((int) ((n & 0x7F) | 0x80));
            n >>>= 7;
        }
        out.write((int) n);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
