package io.tessera.vectorstore.internal;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tessera.vectorstore.SearchHit;
import io.tessera.vectorstore.VectorRow;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RowCodecTest {

    @Test
    void rowsAreWrittenWithEveryFieldAndTheAttributesAsOneObject() {
        JsonObject o = RowCodec.toJson(new VectorRow("m", "t", "IMAGE", -1, null, null, new float[]{0.6f, 0.8f},
                Map.of("tenant", "not-the-tenant", "b", "2")), 1234L);
        assertEquals("m#-1", o.get("pk").getAsString());
        assertEquals("t", o.get("tenant").getAsString(), "an attribute named tenant cannot overwrite the partition key");
        assertEquals(-1, o.get("start_ms").getAsLong());
        assertEquals(-1, o.get("end_ms").getAsLong());
        assertEquals(1234L, o.get("indexed_at").getAsLong());
        assertEquals(2, o.getAsJsonArray("vector").size());
        assertEquals(JsonParser.parseString("{\"b\":\"2\",\"tenant\":\"not-the-tenant\"}"), o.get("attributes"));
        assertEquals("", o.get("passage").getAsString(), "a VarChar takes no null: no passage is written empty");
        assertEquals(JsonParser.parseString("{\"b\":2}"), o.get("attributes_num"), "the numeric view, for ranges");
        assertEquals(12, o.size());
    }

    @Test
    void hitsReadAttributesFromTheDynamicFieldInEitherShape() {
        Map<String, Object> flattened = entity();
        flattened.put("attributes", JsonParser.parseString("{\"color\":\"red\"}"));
        assertEquals(Map.of("color", "red"), RowCodec.toHit("m#0", 0.5f, flattened).attributes());

        Map<String, Object> meta = entity();
        meta.put("$meta", JsonParser.parseString("{\"attributes\":{\"color\":\"blue\",\"n\":3}}"));
        SearchHit hit = RowCodec.toHit("m#0", 0.5f, meta);
        assertEquals(Map.of("color", "blue", "n", "3"), hit.attributes());
        assertEquals(1000L, hit.startMs());

        Map<String, Object> asString = entity();
        asString.put("$meta", "{\"attributes\":{\"k\":\"v\"}}");
        asString.put("start_ms", -1L);
        asString.put("end_ms", -1L);
        SearchHit noTime = RowCodec.toHit("m#0", 0.5f, asString);
        assertEquals(Map.of("k", "v"), noTime.attributes());
        assertNull(noTime.startMs());
        assertNull(noTime.endMs());
        assertEquals(Map.of(), RowCodec.toHit("m#0", 0.5f, entity()).attributes());
    }

    @Test
    void passagesComeFromTheFieldOrTheDynamicFieldAndEmptyMeansNone() {
        Map<String, Object> field = entity();
        field.put("passage", "a red circle");
        assertEquals("a red circle", RowCodec.toHit("m#0", 0.5f, field).passage());
        Map<String, Object> empty = entity();
        empty.put("passage", "");
        assertNull(RowCodec.toHit("m#0", 0.5f, empty).passage());
        Map<String, Object> meta = entity();
        meta.put("$meta", "{\"passage\":\"from a layout 1 collection\"}");
        assertEquals("from a layout 1 collection", RowCodec.toStoredRow(meta, false).passage());
        assertNull(RowCodec.toHit("m#0", 0.5f, entity()).passage(), "rows written before passages existed");
    }

    @Test
    void vectorsComeBackAsFloats() {
        float[] v = RowCodec.vector(List.of(0.25f, -1.0f));
        assertEquals(0.25f, v[0]);
        assertEquals(-1.0f, v[1]);
    }

    private static Map<String, Object> entity() {
        Map<String, Object> e = new HashMap<>();
        e.put("media_id", "m");
        e.put("tenant", "t");
        e.put("modality", "VIDEO");
        e.put("segment", 0);
        e.put("start_ms", 1000L);
        e.put("end_ms", 2000L);
        e.put("indexed_at", 5L);
        return e;
    }
}
