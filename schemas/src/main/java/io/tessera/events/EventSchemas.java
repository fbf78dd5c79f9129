package io.tessera.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * The event schemas as other languages see them.
 *
 * <p>The generated classes carry Java-only hints in their schemas ({@code "avro.java.string": "String"}).
 * What is registered and handed to non-Java clients is the {@linkplain #portable portable form}: the same
 * schema without those hints, self-contained (every named type defined inline at first use), so a Python or Go
 * publisher can use it as is and all clients register the same text under the same id.
 */
public final class EventSchemas {

    /** The top-level event schemas by their simple name, as the generated classes define them. */
    public static final Map<String, Schema> TOP_LEVEL = Map.of(
            "MediaArrived", MediaArrived.getClassSchema(),
            "MediaIndexed", MediaIndexed.getClassSchema(),
            "CuratedPair", CuratedPair.getClassSchema(),
            "ModelVersion", ModelVersion.getClassSchema());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> JAVA_ONLY_PROPERTIES = List.of("avro.java.string");

    private EventSchemas() {
    }

    /** The portable schema: the same Avro schema without Java-only properties. */
    public static Schema portable(Schema schema) {
        return new Schema.Parser().parse(portableJson(schema));
    }

    /** The portable schema as compact JSON text, the form Tessera registers. */
    public static String portableJson(Schema schema) {
        try {
            JsonNode tree = JSON.readTree(schema.toString());
            return JSON.writeValueAsString(strip(tree));
        } catch (IOException e) {
            throw new UncheckedIOException("Avro produced schema JSON that Jackson could not read", e);
        }
    }

    private static JsonNode strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JAVA_ONLY_PROPERTIES.forEach(object::remove);
            // {"type":"string"} left behind once its only hint is gone is written as plain "string", as in the .avsc.
            if (object.size() == 1 && object.path("type").isTextual()
                    && Schema.Type.STRING.getName().equals(object.get("type").asText())) {
                return object.get("type");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                field.setValue(strip(field.getValue()));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, strip(array.get(i)));
            }
        }
        return node;
    }
}
