package io.tessera.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.events.EventSchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import org.apache.avro.Schema;

/** Edits of an event schema, as an older or newer publisher would have it. */
final class SchemaVariants {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SchemaVariants() {
    }

    /** The schema without some fields: what an older writer had before they were added. */
    static Schema withoutFields(Schema schema, String... names) {
        ObjectNode tree = tree(schema);
        ArrayNode fields = (ArrayNode) tree.get("fields");
        for (Iterator<JsonNode> it = fields.iterator(); it.hasNext(); ) {
            if (List.of(names).contains(it.next().get("name").asText())) {
                it.remove();
            }
        }
        return parse(tree);
    }

    /** The schema with a new optional field (null default): a compatible addition. */
    static Schema withOptionalField(Schema schema, String name, String type) {
        ObjectNode tree = tree(schema);
        ObjectNode field = ((ArrayNode) tree.get("fields")).addObject();
        field.put("name", name);
        field.putArray("type").add("null").add(type);
        field.putNull("default");
        field.put("doc", "added later");
        return parse(tree);
    }

    /** The schema with a new required field (no default): a BACKWARD-incompatible change. */
    static Schema withRequiredField(Schema schema, String name, String type) {
        ObjectNode tree = tree(schema);
        ObjectNode field = ((ArrayNode) tree.get("fields")).addObject();
        field.put("name", name);
        field.put("type", type);
        field.put("doc", "added later without a default");
        return parse(tree);
    }

    /** The schema with one more symbol at the end of a (first-defined) enum. */
    static Schema withEnumSymbol(Schema schema, String enumName, String symbol) {
        ObjectNode tree = tree(schema);
        ObjectNode enumNode = findNamed(tree, enumName);
        ((ArrayNode) enumNode.get("symbols")).add(symbol);
        return parse(tree);
    }

    /** The schema with a field's type replaced (for example string to int): an incompatible change. */
    static Schema withFieldType(Schema schema, String fieldName, String type) {
        ObjectNode tree = tree(schema);
        for (JsonNode field : tree.get("fields")) {
            if (field.get("name").asText().equals(fieldName)) {
                ((ObjectNode) field).put("type", type);
            }
        }
        return parse(tree);
    }

    private static ObjectNode findNamed(JsonNode node, String name) {
        if (node instanceof ObjectNode object) {
            if (object.path("type").asText().equals("enum") && object.path("name").asText().equals(name)) {
                return object;
            }
        }
        for (JsonNode child : node) {
            ObjectNode found = findNamed(child, name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static ObjectNode tree(Schema schema) {
        try {
            return (ObjectNode) JSON.readTree(EventSchemas.portableJson(schema));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Schema parse(ObjectNode tree) {
        return new Schema.Parser().parse(tree.toString());
    }
}
