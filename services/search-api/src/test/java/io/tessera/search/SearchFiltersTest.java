package io.tessera.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.client.api.FilterCondition;
import io.tessera.client.api.SearchQuery;
import io.tessera.vectorstore.RowCondition;
import io.tessera.vectorstore.RowCondition.AttributeIn;
import io.tessera.vectorstore.RowCondition.AttributeRange;
import io.tessera.vectorstore.RowCondition.IndexedAtRange;
import io.tessera.vectorstore.RowCondition.Range;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SearchFiltersTest {

    private static FilterCondition attr(String name, Object eq) {
        return FilterCondition.attributeEquals(name, eq);
    }

    private static FilterCondition range(String attribute, String field, Object gt, Object gte, Object lt, Object lte) {
        return new FilterCondition(attribute, field, null, null, gt, gte, lt, lte);
    }

    private static String error(List<FilterCondition> filter) {
        try {
            SearchFilters.fromJson(filter);
            return "ok";
        } catch (ApiException e) {
            return e.status() + " " + e.error() + ": " + e.getMessage();
        }
    }

    private static String queryError(String... filter) {
        try {
            SearchFilters.fromQuery(List.of(filter));
            return "ok";
        } catch (ApiException e) {
            return e.status() + " " + e.error() + ": " + e.getMessage();
        }
    }

    @Test
    void jsonConditionsBecomeTypedConditions() {
        List<RowCondition> c = SearchFilters.fromJson(List.of(
                attr("camera", "x100"),
                new FilterCondition("lens", null, null, List.of("35mm", "50mm"), null, null, null, null),
                range("year", null, null, 2020, 2025, null),
                range("price", null, 9.5, null, null, new BigDecimal("20.25")),
                range("shot", null, null, "2024-01-01T00:00:00Z", null, null),
                range(null, "indexedAt", null, "2026-01-01", null, null),
                attr("rating", 4),
                new FilterCondition(null, "indexedAt", 1234L, null, null, null, null, null)));
        assertThat(c).containsExactly(
                new AttributeIn("camera", List.of("x100")),
                new AttributeIn("lens", List.of("35mm", "50mm")),
                new AttributeRange("year", new Range(2020L, true, 2025L, false)),
                new AttributeRange("price", new Range(9.5, false, 20.25, true)),
                new AttributeRange("shot", Range.atLeast(1_704_067_200_000L)),
                new IndexedAtRange(Range.atLeast(1_767_225_600_000L)),
                new AttributeRange("rating", Range.exactly(4L)),
                new IndexedAtRange(Range.exactly(1234L)));
        assertThat(SearchFilters.fromJson(null)).isEmpty();
        assertThat(SearchFilters.fromJson(List.of())).isEmpty();
    }

    @Test
    void stringBoundsOfRangesMayBeNumbersToo() {
        assertThat(SearchFilters.fromJson(List.of(range("year", null, null, "2020", null, null))))
                .containsExactly(new AttributeRange("year", Range.atLeast(2020L)));
    }

    @Test
    void everyBadConditionIsAClear400NamingIt() {
        assertThat(error(List.of(new FilterCondition(null, null, "x", null, null, null, null, null))))
                .startsWith("400 invalid_filter: filter[0] must name exactly one of 'attribute' and 'field'");
        assertThat(error(List.of(new FilterCondition("a", "indexedAt", "x", null, null, null, null, null))))
                .contains("exactly one of 'attribute' and 'field'");
        assertThat(error(List.of(attr("ok", "v"), new FilterCondition(null, "tenant", "x", null, null, null, null, null))))
                .startsWith("400 invalid_filter: filter[1]: unknown field 'tenant'");
        assertThat(error(List.of(new FilterCondition("a", null, null, null, null, null, null, null))))
                .contains("needs exactly one of 'eq', 'in', or range bounds", "none");
        assertThat(error(List.of(new FilterCondition("a", null, "x", null, 1, null, null, null)))).contains("several");
        assertThat(error(List.of(range("a", null, 1, 2, null, null)))).contains("two lower or two upper bounds");
        assertThat(error(List.of(range("a", null, null, 5, null, 1)))).contains("lower bound 5 is above the upper bound 1");
        assertThat(error(List.of(range("a", null, null, "soon", null, null))))
                .contains("filter[0].gte: 'soon' is neither a number nor an ISO-8601 time");
        assertThat(error(List.of(range("a", null, null, "2024-05-01T10:00:00", null, null))))
                .as("no zone: ambiguous").contains("neither a number nor an ISO-8601 time");
        assertThat(error(List.of(range("a", null, null, true, null, null)))).contains("got a boolean");
        assertThat(error(List.of(attr("a", List.of("x"))))).contains("got an array");
        assertThat(error(List.of(attr("a", Map.of("x", 1))))).contains("got an object");
        assertThat(error(List.of(range("a", null, null, Double.NaN, null, null)))).contains("not a finite number");
        assertThat(error(List.of(new FilterCondition(null, "indexedAt", null, List.of("x"), null, null, null, null))))
                .contains("'in' compares attribute strings");
        assertThat(error(List.of(new FilterCondition(null, "indexedAt", "red", null, null, null, null, null))))
                .contains("filter[0].eq: 'red' is neither a number nor an ISO-8601 time");
        assertThat(error(List.of(attr("", "x")))).contains("filter[0]: attribute name must not be blank");
        assertThat(error(List.of(attr("a\u0007b", "x")))).contains("control character");
        assertThat(error(List.of(attr("a", "x\u0000")))).contains("control character");
        assertThat(error(List.of(new FilterCondition("a", null, null, List.of(), null, null, null, null))))
                .contains("1 to 64 values");
        assertThat(error(Collections.nCopies(17, attr("a", "x")))).contains("at most 16 conditions; this one has 17");
        List<FilterCondition> withNull = new ArrayList<>();
        withNull.add(null);
        assertThat(error(withNull)).contains("filter[0] is null");
        assertThat(error(List.of(attr("a", "x".repeat(4097))))).contains("longer than 4096 bytes");
    }

    @Test
    void theQueryStringFormSaysTheSame() {
        assertThat(SearchFilters.fromQuery(List.of("attributes.camera=x100", "attributes.year>=2020",
                "attributes.year<2025", "attributes.price>9.5", "attributes.price<=20", "indexedAt>=2026-01-01",
                "attributes.exif.model==a=b<c", "attributes.empty=", "indexedAt=1234")))
                .containsExactly(
                        new AttributeIn("camera", List.of("x100")),
                        new AttributeRange("year", Range.atLeast(2020L)),
                        new AttributeRange("year", new Range(null, false, 2025L, false)),
                        new AttributeRange("price", new Range(9.5, false, null, false)),
                        new AttributeRange("price", new Range(null, false, 20L, true)),
                        new IndexedAtRange(Range.atLeast(1_767_225_600_000L)),
                        new AttributeIn("exif.model", List.of("a=b<c")),
                        new AttributeIn("empty", List.of("")),
                        new IndexedAtRange(Range.exactly(1234L)));
        assertThat(SearchFilters.fromQuery(null)).isEmpty();
    }

    @Test
    void badQueryStringConditionsAreClear400s() {
        assertThat(queryError("camera=x")).contains("must start with 'attributes.<name>' or 'indexedAt'");
        assertThat(queryError("attributes.camera")).contains("has no operator");
        assertThat(queryError("attributes.=x")).contains("names no attribute");
        assertThat(queryError("attributes.year!=2020")).contains("'!=' is not supported");
        assertThat(queryError("attributes.year>=twenty")).contains("'twenty' is neither a number");
        assertThat(queryError("indexedAtX>=1")).contains("must start with");
        assertThat(queryError(" ")).contains("a filter parameter is empty");
        assertThat(queryError("attributes.year>=\u0001")).contains("'?' is neither", "400 invalid_filter");
    }

    @Test
    void theParserReadsTheFilterAndCursorOfAJsonQuery() {
        QueryParser parser = new QueryParser(100, 1000, () -> Set.of("search"));
        SearchQuery q = new SearchQuery("red", null, null, null, null, 5, null, null, null, null,
                List.of(attr("camera", "x100")), " abc.def ");
        SearchSpec spec = parser.parse(q, "acme");
        assertThat(spec.filter()).containsExactly(new AttributeIn("camera", List.of("x100")));
        assertThat(spec.cursor()).isEqualTo("abc.def");
        assertThat(parser.parse(q.withCursor(""), "acme").cursor()).as("blank: the first page").isNull();
        assertThatThrownBy(() -> parser.parse(q.withCursor("x".repeat(PageCursors.MAX_CURSOR_CHARS + 1)), "acme"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.error()).isEqualTo("invalid_cursor"));
        SearchSpec form = QueryParser.withPaging(parser.parse("acme", "red", null, false, null, null, null, null,
                null, null), List.of("attributes.year>=2020"), "c.d", "rrf");
        assertThat(form.filter()).containsExactly(new AttributeRange("year", Range.atLeast(2020L)));
        assertThat(form.cursor()).isEqualTo("c.d");
        assertThat(form.fusion()).isEqualTo(ModalityFusion.RRF);
    }
}
