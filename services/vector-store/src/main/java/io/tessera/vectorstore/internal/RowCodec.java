package io.tessera.vectorstore.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tessera.vectorstore.AttributeValues;
import io.tessera.vectorstore.SearchHit;
import io.tessera.vectorstore.StoredRow;
import io.tessera.vectorstore.VectorFields;
import io.tessera.vectorstore.VectorRow;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Rows to the SDK's JSON rows and entities back to Tessera's records. */
final class RowCodec {

    /** Where the SDK puts dynamic keys when it does not flatten them (Milvus Lite's search results). */
    private static final String DYNAMIC_FIELD = "$meta";

    /** A full row: Milvus Lite merges upserts, so every field is always written (docs/platform-notes.md). */
    static JsonObject toJson(VectorRow row, long indexedAt) {
        JsonObject o = new JsonObject();
        o.addProperty(VectorFields.PK, row.pk());
        o.addProperty(VectorFields.MEDIA_ID, row.mediaId());
        o.addProperty(VectorFields.TENANT, row.tenant());
        o.addProperty(VectorFields.MODALITY, row.modality());
        o.addProperty(VectorFields.SEGMENT, row.segment());
        o.addProperty(VectorFields.START_MS, row.startMs() == null ? VectorFields.NO_TIME : row.startMs());
        o.addProperty(VectorFields.END_MS, row.endMs() == null ? VectorFields.NO_TIME : row.endMs());
        JsonArray vector = new JsonArray(row.vector().length);
        for (float v : row.vector()) {
            vector.add(v);
        }
        o.add(VectorFields.VECTOR, vector);
        o.addProperty(VectorFields.INDEXED_AT, indexedAt);
        JsonObject attributes = new JsonObject();
        new TreeMap<>(row.attributes()).forEach(attributes::addProperty);
        o.add(VectorFields.ATTRIBUTES, attributes);
        o.add(VectorFields.ATTRIBUTE_NUMBERS, numericView(row.attributes()));
        // Always written (a VarChar field takes no null): "" is read back as no passage.
        o.addProperty(VectorFields.PASSAGE, row.passage() == null ? "" : row.passage());
        return o;
    }

    /** The attributes that read as numbers or times, as JSON numbers (see {@link VectorFields#ATTRIBUTE_NUMBERS}). */
    static JsonObject numericView(Map<String, String> attributes) {
        JsonObject numbers = new JsonObject();
        new TreeMap<>(attributes).forEach((k, v) -> AttributeValues.numeric(v).ifPresent(n -> numbers.addProperty(k, n)));
        return numbers;
    }

    static SearchHit toHit(Object id, float score, Map<String, Object> e) {
        return new SearchHit(id == null ? string(e, VectorFields.PK) : id.toString(), string(e, VectorFields.MEDIA_ID),
                string(e, VectorFields.TENANT), string(e, VectorFields.MODALITY), (int) number(e, VectorFields.SEGMENT),
                time(e, VectorFields.START_MS), time(e, VectorFields.END_MS), number(e, VectorFields.INDEXED_AT), score,
                attributes(e), passage(e));
    }

    static StoredRow toStoredRow(Map<String, Object> e, boolean withVector) {
        return new StoredRow(string(e, VectorFields.PK), string(e, VectorFields.MEDIA_ID), string(e, VectorFields.TENANT),
                string(e, VectorFields.MODALITY), (int) number(e, VectorFields.SEGMENT), time(e, VectorFields.START_MS),
                time(e, VectorFields.END_MS), number(e, VectorFields.INDEXED_AT), attributes(e),
                withVector ? vector(e.get(VectorFields.VECTOR)) : null, passage(e));
    }

    static float[] vector(Object value) {
        if (!(value instanceof List<?> list)) {
            throw new IllegalStateException("Milvus returned no float vector but " + value);
        }
        float[] v = new float[list.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((Number) list.get(i)).floatValue();
        }
        return v;
    }

    static Map<String, String> attributes(Map<String, Object> entity) {
        Object value = entity.get(VectorFields.ATTRIBUTES);
        if (value == null && entity.get(DYNAMIC_FIELD) != null) {
            JsonElement meta = json(entity.get(DYNAMIC_FIELD));
            if (meta != null && meta.isJsonObject()) {
                value = meta.getAsJsonObject().get(VectorFields.ATTRIBUTES);
            }
        }
        JsonElement json = json(value);
        if (json == null || !json.isJsonObject()) {
            return Map.of();
        }
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, JsonElement> a : json.getAsJsonObject().entrySet()) {
            JsonElement v = a.getValue();
            // Written by Tessera as strings; another client may have written other JSON types.
            out.put(a.getKey(), v.isJsonPrimitive() ? v.getAsString() : v.toString());
        }
        return Map.copyOf(out);
    }

    /**
     * The passage: a schema field in collections made since it exists, a dynamic key in older ones (flattened into
     * the entity, or inside {@code $meta}), absent from rows written before passages were stored.
     */
    static String passage(Map<String, Object> entity) {
        Object value = entity.get(VectorFields.PASSAGE);
        if (value == null && entity.get(DYNAMIC_FIELD) != null) {
            JsonElement meta = json(entity.get(DYNAMIC_FIELD));
            if (meta != null && meta.isJsonObject()) {
                JsonElement p = meta.getAsJsonObject().get(VectorFields.PASSAGE);
                value = p == null || !p.isJsonPrimitive() ? null : p.getAsString();
            }
        }
        if (value instanceof JsonElement e) {
            value = e.isJsonPrimitive() ? e.getAsString() : null;
        }
        return value == null || value.toString().isEmpty() ? null : value.toString();
    }

    private static JsonElement json(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof JsonElement e) {
            return e;
        }
        if (value instanceof String s) {
            try {
                return JsonParser.parseString(s);
            } catch (RuntimeException notJson) {
                return null;
            }
        }
        if (value instanceof Map<?, ?> map) {
            JsonObject o = new JsonObject();
            map.forEach((k, v) -> o.addProperty(String.valueOf(k), String.valueOf(v)));
            return o;
        }
        return null;
    }

    private static String string(Map<String, Object> e, String field) {
        Object v = e.get(field);
        return v == null ? null : v.toString();
    }

    private static long number(Map<String, Object> e, String field) {
        Object v = e.get(field);
        if (v instanceof Number n) {
            return n.longValue();
        }
        throw new IllegalStateException("Milvus returned no number for field " + field + " but " + v);
    }

    private static Long time(Map<String, Object> e, String field) {
        long v = number(e, field);
        return v == VectorFields.NO_TIME ? null : v;
    }

    private RowCodec() {
    }
}
