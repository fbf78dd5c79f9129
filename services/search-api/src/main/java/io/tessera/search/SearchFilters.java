package io.tessera.search;

import io.tessera.client.api.FilterCondition;
import io.tessera.vectorstore.AttributeValues;
import io.tessera.vectorstore.InvalidVectorDataException;
import io.tessera.vectorstore.RowCondition;
import io.tessera.vectorstore.RowCondition.Range;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns the {@code filter} of a search into the vector store's typed {@link RowCondition}s, with one clear 400
 * ({@code invalid_filter}) per problem. Two spellings, the same conditions:
 * <ul>
 *   <li>JSON: {@code "filter": [{"attribute": "camera", "eq": "x100"}, {"attribute": "year", "gte": 2020},
 *       {"field": "indexedAt", "gte": "2026-01-01T00:00:00Z"}]} (see {@link FilterCondition});</li>
 *   <li>query string (GET, multipart form): one {@code filter} parameter per condition, {@code NAME OP VALUE} with
 *       NAME {@code attributes.<name>} or {@code indexedAt} and OP one of {@code = >= > <= <}:
 *       {@code filter=attributes.camera=x100&filter=attributes.year>=2020}. The value is everything after the
 *       operator. {@code =} compares an attribute's text; the other operators compare numbers or ISO-8601 times.
 *       An attribute name with {@code = < > !} in it needs the JSON form.</li>
 * </ul>
 * No user value is ever put into an expression here: the store formats and escapes every literal.
 */
public final class SearchFilters {

    /** Most conditions in one search. */
    public static final int MAX_CONDITIONS = 16;
    public static final String ATTRIBUTE_PREFIX = "attributes.";
    public static final String INDEXED_AT = "indexedAt";

    private SearchFilters() {
    }

    /** The JSON form; null or empty for no filter. */
    public static List<RowCondition> fromJson(List<FilterCondition> filter) {
        if (filter == null || filter.isEmpty()) {
            return List.of();
        }
        checkCount(filter.size());
        List<RowCondition> out = new ArrayList<>(filter.size());
        for (int i = 0; i < filter.size(); i++) {
            String where = "filter[" + i + "]";
            FilterCondition c = filter.get(i);
            if (c == null) {
                throw invalid(where + " is null; send an object such as {\"attribute\": \"camera\", \"eq\": \"x100\"}");
            }
            try {
                out.add(condition(c, where));
            } catch (InvalidVectorDataException e) {
                throw invalid(where + ": " + e.getMessage());
            }
        }
        return List.copyOf(out);
    }

    /** The query-string form: one {@code NAME OP VALUE} per entry; null or empty for no filter. */
    public static List<RowCondition> fromQuery(List<String> filter) {
        if (filter == null || filter.isEmpty()) {
            return List.of();
        }
        checkCount(filter.size());
        List<RowCondition> out = new ArrayList<>(filter.size());
        for (String raw : filter) {
            String where = "filter '" + abbreviate(raw) + "'";
            if (raw == null || raw.isBlank()) {
                throw invalid("a filter parameter is empty; send NAME OP VALUE, e.g. attributes.camera=x100");
            }
            try {
                out.add(queryCondition(raw, where));
            } catch (InvalidVectorDataException e) {
                throw invalid(where + ": " + e.getMessage());
            }
        }
        return List.copyOf(out);
    }

    private static RowCondition condition(FilterCondition c, String where) {
        boolean isAttribute = c.attribute() != null;
        if (isAttribute == (c.field() != null)) {
            throw invalid(where + " must name exactly one of 'attribute' and 'field'");
        }
        if (!isAttribute && !INDEXED_AT.equals(c.field())) {
            throw invalid(where + ": unknown field '" + abbreviate(c.field()) + "'; the only field is " + INDEXED_AT
                    + " (use 'attribute' for the publisher's attributes)");
        }
        boolean range = c.gt() != null || c.gte() != null || c.lt() != null || c.lte() != null;
        int kinds = (c.eq() != null ? 1 : 0) + (c.in() != null ? 1 : 0) + (range ? 1 : 0);
        if (kinds != 1) {
            throw invalid(where + " needs exactly one of 'eq', 'in', or range bounds (gt/gte, lt/lte); it has "
                    + (kinds == 0 ? "none" : "several"));
        }
        if (c.gt() != null && c.gte() != null || c.lt() != null && c.lte() != null) {
            throw invalid(where + " has two lower or two upper bounds; use one of gt/gte and one of lt/lte");
        }
        if (c.in() != null) {
            if (!isAttribute) {
                throw invalid(where + ": 'in' compares attribute strings; " + INDEXED_AT + " takes eq or bounds");
            }
            return new RowCondition.AttributeIn(c.attribute(), c.in());
        }
        if (c.eq() != null) {
            if (isAttribute && c.eq() instanceof String s) {
                return new RowCondition.AttributeIn(c.attribute(), List.of(s));
            }
            return ranged(isAttribute, c.attribute(), Range.exactly(bound(c.eq(), where + ".eq", !isAttribute)));
        }
        Number min = c.gt() != null ? bound(c.gt(), where + ".gt", true) : c.gte() != null
                ? bound(c.gte(), where + ".gte", true) : null;
        Number max = c.lt() != null ? bound(c.lt(), where + ".lt", true) : c.lte() != null
                ? bound(c.lte(), where + ".lte", true) : null;
        checkOrder(min, max, where);
        return ranged(isAttribute, c.attribute(), new Range(min, c.gte() != null, max, c.lte() != null));
    }

    private static RowCondition queryCondition(String raw, String where) {
        String name;
        String rest;
        boolean isAttribute;
        if (raw.startsWith(ATTRIBUTE_PREFIX)) {
            isAttribute = true;
            int op = indexOfOperator(raw, ATTRIBUTE_PREFIX.length());
            if (op < 0) {
                throw invalid(where + " has no operator; use NAME OP VALUE with OP one of = >= > <= <");
            }
            name = raw.substring(ATTRIBUTE_PREFIX.length(), op);
            rest = raw.substring(op);
        } else if (raw.startsWith(INDEXED_AT) && indexOfOperator(raw, INDEXED_AT.length()) == INDEXED_AT.length()) {
            isAttribute = false;
            name = null;
            rest = raw.substring(INDEXED_AT.length());
        } else {
            throw invalid(where + " must start with '" + ATTRIBUTE_PREFIX + "<name>' or '" + INDEXED_AT
                    + "', then an operator (= >= > <= <) and a value");
        }
        if (isAttribute && name.isEmpty()) {
            throw invalid(where + " names no attribute");
        }
        String op = rest.startsWith(">=") || rest.startsWith("<=") || rest.startsWith("==") ? rest.substring(0, 2)
                : rest.substring(0, 1);
        String value = rest.substring(op.length());
        if (op.equals("!")) {
            throw invalid(where + ": '!=' is not supported; use = or a range");
        }
        if (op.equals("=") || op.equals("==")) {
            if (isAttribute) {
                return new RowCondition.AttributeIn(name, List.of(value));
            }
            return new RowCondition.IndexedAtRange(Range.exactly(bound(value, where, true)));
        }
        Number b = bound(value, where, true);
        Range range = switch (op) {
            case ">=" -> new Range(b, true, null, false);
            case ">" -> new Range(b, false, null, false);
            case "<=" -> new Range(null, false, b, true);
            default -> new Range(null, false, b, false);
        };
        return ranged(isAttribute, name, range);
    }

    private static int indexOfOperator(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '=' || c == '<' || c == '>' || c == '!') {
                return i;
            }
        }
        return -1;
    }

    private static RowCondition ranged(boolean isAttribute, String name, Range range) {
        return isAttribute ? new RowCondition.AttributeRange(name, range) : new RowCondition.IndexedAtRange(range);
    }

    /**
     * A bound: a JSON number, or a string that is a number or an ISO-8601 time.
     *
     * @param stringsMayBeNumbers whether a string bound may be a number (query strings have only strings; JSON
     *                            ranges accept "2020" as well as 2020)
     */
    private static Number bound(Object value, String where, boolean stringsMayBeNumbers) {
        if (value instanceof String s) {
            Optional<Number> n = stringsMayBeNumbers ? AttributeValues.numeric(s)
                    : AttributeValues.time(s).map(Number.class::cast);
            return n.orElseThrow(() -> invalid(where + ": '" + abbreviate(s) + "' is neither a number nor an ISO-8601"
                    + " time with a zone (2024-05-01T10:00:00Z) or a date (2024-05-01)"));
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big) {
            return big.bitLength() < 64 ? (Number) big.longValue() : (Number) big.doubleValue();
        }
        if (value instanceof BigDecimal || value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                throw invalid(where + ": " + value + " is not a finite number");
            }
            return d;
        }
        throw invalid(where + ": expected a string or a number, got " + (value instanceof Boolean ? "a boolean"
                : value instanceof List ? "an array" : "an object"));
    }

    private static void checkOrder(Number min, Number max, String where) {
        if (min != null && max != null && Double.compare(min.doubleValue(), max.doubleValue()) > 0) {
            throw invalid(where + ": the lower bound " + min + " is above the upper bound " + max);
        }
    }

    private static void checkCount(int n) {
        if (n > MAX_CONDITIONS) {
            throw invalid("a filter has at most " + MAX_CONDITIONS + " conditions; this one has " + n);
        }
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        String clean = s.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() <= 80 ? clean : clean.substring(0, 77) + "...";
    }

    private static ApiException invalid(String message) {
        return ApiException.badRequest("invalid_filter", message);
    }
}
