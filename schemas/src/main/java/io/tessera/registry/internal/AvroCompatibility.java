package io.tessera.registry.internal;

import io.tessera.registry.CompatibilityLevel;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/** The Confluent compatibility rules, decided with Avro's own {@link SchemaCompatibility}. */
public final class AvroCompatibility {

    private AvroCompatibility() {
    }

    /**
     * Why {@code candidate} may not follow {@code existing} (oldest first) under {@code level}; empty when it may.
     */
    public static List<String> problems(CompatibilityLevel level, Schema candidate, List<Schema> existing) {
        if (level == CompatibilityLevel.NONE || existing.isEmpty()) {
            return List.of();
        }
        boolean transitive = level.name().endsWith("_TRANSITIVE");
        List<Schema> against = transitive ? existing : List.of(existing.get(existing.size() - 1));
        boolean backward = level.name().startsWith("BACKWARD") || level.name().startsWith("FULL");
        boolean forward = level.name().startsWith("FORWARD") || level.name().startsWith("FULL");
        List<String> problems = new ArrayList<>();
        for (Schema previous : against) {
            if (backward) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, previous),
                        "the new schema cannot read data written with an earlier one", problems);
            }
            if (forward) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(previous, candidate),
                        "an earlier schema cannot read data written with the new one", problems);
            }
        }
        return problems;
    }

    private static void describe(SchemaPairCompatibility result, String direction, List<String> problems) {
        if (result.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            problems.add(direction + ": " + describe(incompatibility, result.getReader()));
        }
    }

    /** One incompatibility in words, with its location as a field path ({@code MediaArrived.mediaId}). */
    public static String describe(Incompatibility incompatibility, Schema reader) {
        return incompatibility.getType() + " at " + fieldPath(reader, incompatibility.getLocation()) + ": "
                + incompatibility.getMessage();
    }

    /** Turns Avro's JSON-pointer location ({@code /fields/0/type}) into field names, as far as it can. */
    static String fieldPath(Schema root, String location) {
        StringBuilder path = new StringBuilder(root.getName());
        Schema current = root;
        String[] steps = location.split("/");
        for (int i = 0; i < steps.length; i++) {
            String step = steps[i];
            if (step.equals("fields") && i + 1 < steps.length && current != null
                    && current.getType() == Schema.Type.RECORD) {
                int index = Integer.parseInt(steps[++i]);
                if (index >= current.getFields().size()) {
                    return path + location;
                }
                Schema.Field field = current.getFields().get(index);
                path.append('.').append(field.name());
                current = field.schema();
            } else if (step.equals("items") && current != null && current.getType() == Schema.Type.ARRAY) {
                path.append("[]");
                current = current.getElementType();
            } else if (step.equals("values") && current != null && current.getType() == Schema.Type.MAP) {
                path.append("{}");
                current = current.getValueType();
            } else if (step.matches("\\d+") && current != null && current.getType() == Schema.Type.UNION) {
                int index = Integer.parseInt(step);
                current = index < current.getTypes().size() ? current.getTypes().get(index) : null;
            } else if (step.equals("symbols")) {
                path.append(" symbols");
            }
        }
        return path.toString();
    }
}
