package io.tessera.client.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.client.api.FilterCondition;
import java.util.List;
import org.junit.jupiter.api.Test;

class FiltersTest {

    @Test
    void equalityComparesAnAttributesTextWithOrWithoutSpaces() {
        FilterCondition expected = new FilterCondition("color", null, "red", null, null, null, null, null);
        assertThat(Filters.parse("attributes.color = red")).isEqualTo(expected);
        assertThat(Filters.parse("attributes.color=red")).isEqualTo(expected);
        assertThat(Filters.parse("  attributes.color ==  red ")).isEqualTo(expected);
        // Everything after the operator is the value, as in the query-string form.
        assertThat(Filters.parse("attributes.note = a=b c").eq()).isEqualTo("a=b c");
        assertThat(Filters.parse("attributes.camera model = X100").attribute()).isEqualTo("camera model");
    }

    @Test
    void rangesBecomeBoundsThatSearchApiReadsAsNumbersOrTimes() {
        assertThat(Filters.parse("attributes.year >= 2020"))
                .isEqualTo(new FilterCondition("year", null, null, null, null, "2020", null, null));
        assertThat(Filters.parse("attributes.year>2020").gt()).isEqualTo("2020");
        assertThat(Filters.parse("attributes.year <= 2025").lte()).isEqualTo("2025");
        assertThat(Filters.parse("attributes.year < 2025").lt()).isEqualTo("2025");
        assertThat(Filters.parse("indexedAt >= 2026-01-01"))
                .isEqualTo(new FilterCondition(null, "indexedAt", null, null, null, "2026-01-01", null, null));
        assertThat(Filters.parse("indexedAt=1767225600000"))
                .isEqualTo(new FilterCondition(null, "indexedAt", "1767225600000", null, null, null, null, null));
        assertThat(Filters.parseAll(List.of("attributes.year >= 2020", "attributes.year < 2025"))).hasSize(2);
    }

    @Test
    void malformedExpressionsSayHowToWriteThem() {
        assertThatThrownBy(() -> Filters.parse("color = red")).hasMessageContaining("must start with 'attributes.");
        assertThatThrownBy(() -> Filters.parse("attributes.color red")).hasMessageContaining("has no operator");
        assertThatThrownBy(() -> Filters.parse("attributes. = red")).hasMessageContaining("names no attribute");
        assertThatThrownBy(() -> Filters.parse("attributes.color != red")).hasMessageContaining("'!=' is not supported");
        assertThatThrownBy(() -> Filters.parse("attributes.year >=")).hasMessageContaining("has no value");
        assertThatThrownBy(() -> Filters.parse("indexedAtX >= 3")).hasMessageContaining("must start with");
        assertThatThrownBy(() -> Filters.parse(" ")).hasMessageContaining("empty filter");
    }
}
