package io.tessera.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The conventions every event schema follows. */
class EventSchemasTest {

    @ParameterizedTest
    @ValueSource(strings = {"MediaArrived", "MediaIndexed", "CuratedPair", "ModelVersion"})
    void everyFieldHasADocEveryEnumADefaultAndEveryOptionalFieldANullDefault(String event) {
        walk(EventSchemas.TOP_LEVEL.get(event), new HashSet<>());
    }

    @Test
    void timestampsAreTimestampMillisReadAsInstants() {
        assertThat(MediaArrived.getClassSchema().getField("occurredAt").schema().getLogicalType())
                .isEqualTo(LogicalTypes.timestampMillis());
        assertThat(SampleEvents.mediaArrivedText().getOccurredAt()).isInstanceOf(java.time.Instant.class);
        for (String field : new String[] {"arrivedAt", "indexedAt"}) {
            assertThat(MediaIndexed.getClassSchema().getField(field).schema().getLogicalType())
                    .isEqualTo(LogicalTypes.timestampMillis());
        }
        assertThat(CuratedPair.getClassSchema().getField("createdAt").schema().getLogicalType()).isEqualTo(LogicalTypes.timestampMillis());
        assertThat(ModelVersion.getClassSchema().getField("createdAt").schema().getLogicalType()).isEqualTo(LogicalTypes.timestampMillis());
    }

    @Test
    void thePortableFormDropsJavaHintsAndOtherwiseIsTheSameSchema() {
        Schema generated = MediaArrived.getClassSchema();
        String portable = EventSchemas.portableJson(generated);

        assertThat(portable).doesNotContain("avro.java.string");
        assertThat(SchemaNormalization(EventSchemas.portable(generated))).isEqualTo(SchemaNormalization(generated));
    }

    @Test
    void contentBranchesHaveDistinctFieldNamesSoShapeAloneSelectsTheBranch() {
        Schema content = MediaArrived.getClassSchema().getField("content").schema();

        assertThat(content.getTypes()).extracting(Schema::getName).containsExactly("InlineBytes", "ContentReference", "InlineText");
        assertThat(content.getTypes()).extracting(t -> t.getFields().get(0).name()).containsExactly("data", "uri", "text");
    }

    private static String SchemaNormalization(Schema schema) {
        return org.apache.avro.SchemaNormalization.toParsingForm(schema);
    }

    private static void walk(Schema schema, Set<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                assertThat(schema.getNamespace()).isEqualTo("io.tessera.events");
                assertThat(schema.getDoc()).as("doc of %s", schema.getFullName()).isNotBlank();
                for (Schema.Field field : schema.getFields()) {
                    assertThat(field.doc()).as("doc of %s.%s", schema.getName(), field.name()).isNotBlank();
                    if (field.schema().isNullable()) {
                        assertThat(field.schema().getTypes().get(0).getType()).as("null first in %s", field.name()).isEqualTo(Schema.Type.NULL);
                        assertThat(field.defaultVal()).as("null default of %s", field.name()).isEqualTo(JsonProperties.NULL_VALUE);
                    }
                    walk(field.schema(), seen);
                }
            }
            case ENUM -> {
                assertThat(schema.getEnumDefault()).as("default of enum %s", schema.getName()).isEqualTo("UNKNOWN");
                assertThat(schema.getNamespace()).isEqualTo("io.tessera.events");
            }
            case UNION -> schema.getTypes().forEach(t -> walk(t, seen));
            case ARRAY -> walk(schema.getElementType(), seen);
            case MAP -> walk(schema.getValueType(), seen);
            default -> {
            }
        }
    }
}
