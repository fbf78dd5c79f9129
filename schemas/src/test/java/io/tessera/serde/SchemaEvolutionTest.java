package io.tessera.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.events.EventSchemas;
import io.tessera.events.MediaArrived;
import io.tessera.events.MediaIndexed;
import io.tessera.events.Modality;
import io.tessera.events.SampleEvents;
import io.tessera.serde.internal.WireFormat;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/** The writer's schema is resolved against the generated class's, so data flows between schema versions both ways. */
class SchemaEvolutionTest {

    private final CountingRegistry registry = new CountingRegistry();
    private final SpecificAvroSerializer<MediaArrived> serializer = new SpecificAvroSerializer<>(registry, Map.of(), false);

    @Test
    void anOlderWritersRecordReadsWithTheNewFieldsDefaults() throws Exception {
        Schema older = SchemaVariants.withoutFields(MediaArrived.getClassSchema(), "instruction", "attributes");
        byte[] current = serializer.serialize("media.arrived", SampleEvents.mediaArrivedInline(64));
        GenericRecord asOlderWriterHadIt = reread(current, older);

        byte[] written = wire(registry.delegate.register("media.arrived-value", older), older, asOlderWriterHadIt);
        MediaArrived read = new SpecificAvroDeserializer<>(registry, MediaArrived.class).deserialize("media.arrived", written);

        MediaArrived expected = MediaArrived.newBuilder(SampleEvents.mediaArrivedInline(64))
                .setInstruction(null).setAttributes(Map.of()).build();
        assertThat(read).isEqualTo(expected);
    }

    @Test
    void aNewerWritersRecordReadsWithoutItsNewFieldAndUnknownSymbolsAsTheDefault() throws Exception {
        Schema newer = SchemaVariants.withEnumSymbol(
                SchemaVariants.withOptionalField(MediaArrived.getClassSchema(), "priority", "int"), "Modality", "AUDIO");
        byte[] current = serializer.serialize("media.arrived", SampleEvents.mediaArrivedText());
        GenericRecord fromNewerWriter = reread(current, newer);
        fromNewerWriter.put("priority", 7);
        fromNewerWriter.put("modality", new GenericData.EnumSymbol(newer.getField("modality").schema(), "AUDIO"));

        byte[] written = wire(registry.delegate.register("media.arrived-value", newer), newer, fromNewerWriter);
        MediaArrived read = new SpecificAvroDeserializer<>(registry, MediaArrived.class).deserialize("media.arrived", written);

        assertThat(read.getModality()).isEqualTo(Modality.UNKNOWN);
        assertThat(read).usingRecursiveComparison().ignoringFields("modality").isEqualTo(SampleEvents.mediaArrivedText());
    }

    @Test
    void anOlderReaderReadsWhatTheCurrentSerializerWrites() throws Exception {
        // An older consumer (without 'error') reading today's MediaIndexed: schema resolution drops the field.
        Schema olderReader = SchemaVariants.withoutFields(MediaIndexed.getClassSchema(), "error");
        byte[] current = new SpecificAvroSerializer<MediaIndexed>(registry, Map.of(), false)
                .serialize("media.indexed", SampleEvents.mediaIndexed());
        Schema writer = registry.delegate.schemaById(WireFormat.readSchemaId(current));

        GenericRecord read = new GenericDatumReader<GenericRecord>(writer, olderReader).read(null,
                DecoderFactory.get().binaryDecoder(Arrays.copyOfRange(current, 5, current.length), null));

        assertThat(read.get("mediaId").toString()).isEqualTo("vid-0002");
        assertThat(read.getSchema().getField("error")).isNull();
        assertThat(read.get("segments")).isEqualTo(11);
    }

    private GenericRecord reread(byte[] wire, Schema as) throws Exception {
        Schema writer = EventSchemas.portable(registry.delegate.schemaById(WireFormat.readSchemaId(wire)));
        return new GenericDatumReader<GenericRecord>(writer, as).read(null,
                DecoderFactory.get().binaryDecoder(Arrays.copyOfRange(wire, 5, wire.length), null));
    }

    private static byte[] wire(int schemaId, Schema schema, GenericRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0, (byte) (schemaId >>> 24), (byte) (schemaId >>> 16), (byte) (schemaId >>> 8), (byte) schemaId});
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
