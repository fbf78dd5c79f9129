package io.tessera.vectorstore.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonParser;
import io.tessera.vectorstore.InvalidVectorDataException;
import io.tessera.vectorstore.RowCondition;
import io.tessera.vectorstore.RowCondition.Range;
import io.tessera.vectorstore.SegmentScope;
import io.tessera.vectorstore.VectorFields;
import io.tessera.vectorstore.VectorRow;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Attribute and time conditions as Milvus expressions, and the numeric view of attributes they compare. */
class RowConditionsTest {

    @Test
    void equalityComparesTheAttributeStringAndAListIsAnOr() {
        assertEquals("attributes[\"camera\"] == \"x100\"",
                FilterExpressions.condition(new RowCondition.AttributeIn("camera", List.of("x100"))));
        assertEquals("attributes[\"camera\"] == \"a\" || attributes[\"camera\"] == \"b\"",
                FilterExpressions.condition(new RowCondition.AttributeIn("camera", List.of("a", "b"))));
    }

    @Test
    void rangesCompareTheNumericViewWithFormattedNumbers() {
        assertEquals("attributes_num[\"year\"] >= 2020", FilterExpressions.condition(
                new RowCondition.AttributeRange("year", Range.atLeast(2020L))));
        assertEquals("attributes_num[\"v\"] > -1.5 && attributes_num[\"v\"] <= 1.0E300", FilterExpressions.condition(
                new RowCondition.AttributeRange("v", new Range(-1.5, false, 1e300, true))));
        assertEquals("indexed_at >= 5 && indexed_at <= 5", FilterExpressions.condition(
                new RowCondition.IndexedAtRange(Range.exactly(5))), "an int bound is a long");
        assertEquals("indexed_at < 10", FilterExpressions.condition(
                new RowCondition.IndexedAtRange(new Range(null, false, 10L, false))));
    }

    @Test
    void namesAndValuesAreLiteralsThatCannotBreakOut() {
        String name = "camera\"] == \"x\" || tenant == \"other\" || attributes[\"a";
        String value = "x\" || tenant != \"";
        String expression = FilterExpressions.condition(new RowCondition.AttributeIn(name, List.of(value)));
        assertEquals("attributes[" + FilterExpressions.literal(name) + "] == " + FilterExpressions.literal(value),
                expression);
        assertEquals("attributes[\"camera\\\"] == \\\"x\\\" || tenant == \\\"other\\\" || attributes[\\\"a\"] == "
                + "\"x\\\" || tenant != \\\"\"", expression);
        // The tenant clause still comes first and every clause is parenthesised.
        String search = FilterExpressions.search("acme", Set.of(), SegmentScope.ALL,
                List.of(new RowCondition.AttributeIn("k", List.of("a", "b"))));
        assertEquals("(tenant == \"acme\") && (attributes[\"k\"] == \"a\" || attributes[\"k\"] == \"b\")", search);
    }

    @Test
    void conditionsRefuseWhatTheyCannotExpress() {
        assertThrows(InvalidVectorDataException.class, () -> new RowCondition.AttributeIn("", List.of("x")));
        assertThrows(InvalidVectorDataException.class, () -> new RowCondition.AttributeIn("k\u0001", List.of("x")));
        assertThrows(InvalidVectorDataException.class, () -> new RowCondition.AttributeIn("k", List.of("a\u0000")));
        assertThrows(InvalidVectorDataException.class, () -> new RowCondition.AttributeIn("k", List.of()));
        assertThrows(InvalidVectorDataException.class, () -> new RowCondition.AttributeIn("k",
                java.util.Collections.nCopies(RowCondition.MAX_VALUES + 1, "v")));
        assertThrows(InvalidVectorDataException.class, () -> new Range(null, true, null, true));
        assertThrows(InvalidVectorDataException.class, () -> Range.atLeast(Double.NaN));
        assertThrows(InvalidVectorDataException.class, () -> Range.atLeast(Double.POSITIVE_INFINITY));
    }

    @Test
    void everyRowCarriesTheNumericViewOfItsAttributes() {
        VectorRow row = VectorRow.whole("m", "t", "IMAGE", new float[] {1, 0}, Map.of("year", "2021",
                "camera", "x100", "shot", "2024-05-01T10:00:00Z", "price", "10.50", "id", "007"));
        assertEquals(JsonParser.parseString("{\"id\":7,\"price\":10.5,\"shot\":1714557600000,\"year\":2021}"),
                RowCodec.toJson(row, 1L).get(VectorFields.ATTRIBUTE_NUMBERS));
        VectorRow none = VectorRow.whole("m", "t", "IMAGE", new float[] {1, 0}, Map.of("camera", "x100"));
        assertEquals(JsonParser.parseString("{}"), RowCodec.toJson(none, 1L).get(VectorFields.ATTRIBUTE_NUMBERS),
                "always written, so a re-index replaces an older numeric view");
    }
}
