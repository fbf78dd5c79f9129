package io.tessera.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fails the build when a schema change could not read data written with the released schema (BACKWARD, the
 * registry's rule), before any registry sees it. The released schemas live in src/main/avro-released/.
 */
class EvolutionGuardTest {

    @ParameterizedTest
    @ValueSource(strings = {"MediaArrived", "MediaIndexed", "CuratedPair", "ModelVersion"})
    void theCurrentSchemaCanReadEverythingWrittenWithTheReleasedOne(String event) throws Exception {
        Schema current = EventSchemas.portable(EventSchemas.TOP_LEVEL.get(event));
        Schema released = ReleasedSchemas.released(event);

        var result = SchemaCompatibility.checkReaderWriterCompatibility(current, released);

        assertThat(result.getType())
                .as("%s is not BACKWARD compatible with its released version: %s. Give new fields a default, keep"
                        + " removed fields' defaults, only add enum symbols; or release a new topic.",
                        event, result.getResult().getIncompatibilities())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"MediaArrived", "MediaIndexed", "CuratedPair", "ModelVersion"})
    void theGuardCatchesADeliberatelyIncompatibleChange(String event) throws Exception {
        Schema released = ReleasedSchemas.released(event);
        Schema breaking = withRequiredField(EventSchemas.portable(EventSchemas.TOP_LEVEL.get(event)), "priority");

        var result = SchemaCompatibility.checkReaderWriterCompatibility(breaking, released);

        assertThat(result.getType()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
        assertThat(result.getResult().getIncompatibilities())
                .anySatisfy(i -> assertThat(i.getMessage()).contains("priority"));
    }

    /** The record plus a field without a default: data written before cannot fill it. */
    static Schema withRequiredField(Schema record, String name) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : record.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(new Schema.Field(name, Schema.create(Schema.Type.INT), "no default: incompatible"));
        Schema changed = Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
        return new Schema.Parser().parse(changed.toString());
    }
}
