package io.tessera.client.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One condition of a search's {@code filter} (all conditions must hold). Names exactly one of {@code attribute} and
 * {@code field}, and either {@code eq}, {@code in}, or one or two range bounds ({@code gt}/{@code gte} and
 * {@code lt}/{@code lte}).
 *
 * <p>Attributes are the publisher's strings. {@code eq} with a string and {@code in} compare them exactly. A number
 * ({@code "gte": 2020}) or an ISO-8601 time ({@code "gte": "2024-01-01T00:00:00Z"}, or a date {@code "2024-01-01"})
 * compares the attribute's value read as a number or a time (epoch milliseconds): {@code "999"} is below
 * {@code 2020}, as it should be; a value that is neither never matches a range.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "One filter condition: exactly one of attribute and field; then eq, in, or range bounds"
        + " (gt/gte and/or lt/lte). Strings compare exactly; numbers and ISO-8601 times compare numerically.")
public record FilterCondition(
        @Schema(description = "An attribute name as published (any characters but control characters, at most"
                + " 256 bytes)", examples = "camera")
        String attribute,
        @Schema(description = "A stored field instead of an attribute: indexedAt (when the row was written; bounds"
                + " are epoch milliseconds or ISO-8601 times)", enumeration = {"indexedAt"})
        String field,
        @Schema(description = "Equal to: a string compares the attribute's text exactly; a number compares its"
                + " numeric value", oneOf = {String.class, Number.class})
        Object eq,
        @Schema(description = "The attribute's text is one of these strings (1-64)")
        List<String> in,
        @Schema(description = "Greater than: a number, or an ISO-8601 instant with a zone or a date",
                oneOf = {String.class, Number.class})
        Object gt,
        @Schema(description = "Greater than or equal to (as gt)", oneOf = {String.class, Number.class})
        Object gte,
        @Schema(description = "Less than (as gt)", oneOf = {String.class, Number.class})
        Object lt,
        @Schema(description = "Less than or equal to (as gt)", oneOf = {String.class, Number.class})
        Object lte) {

    public static FilterCondition attributeEquals(String name, Object value) {
        return new FilterCondition(name, null, value, null, null, null, null, null);
    }
}
