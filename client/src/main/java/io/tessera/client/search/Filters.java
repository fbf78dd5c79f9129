package io.tessera.client.search;

import io.tessera.client.api.FilterCondition;
import java.util.ArrayList;
import java.util.List;

/**
 * Filter conditions written the way search-api's query string takes them ({@code GET /v1/search?filter=...}),
 * {@code NAME OP VALUE}: NAME is {@code attributes.<name>} or {@code indexedAt}, OP one of {@code = >= > <= <}, and
 * spaces around OP are allowed ({@code attributes.color = red}, {@code attributes.year>=2020},
 * {@code indexedAt >= 2026-01-01}). {@code =} compares an attribute's text exactly; the other operators compare the
 * attribute read as a number or an ISO-8601 time (with a zone, or a date). The value is everything after the operator,
 * trimmed. An attribute name with {@code = < > !} in it, or with spaces at its ends, needs a {@link FilterCondition}
 * built directly.
 *
 * <p>Only the shape is checked here, so that a typo fails before a request; search-api checks the values (a range
 * bound that is neither a number nor a time is its 400 {@code invalid_filter}).
 */
public final class Filters {

    public static final String ATTRIBUTE_PREFIX = "attributes.";
    public static final String INDEXED_AT = "indexedAt";

    private Filters() {
    }

    /** Every expression as a condition, in order. */
    public static List<FilterCondition> parseAll(List<String> expressions) {
        List<FilterCondition> out = new ArrayList<>(expressions.size());
        for (String e : expressions) {
            out.add(parse(e));
        }
        return List.copyOf(out);
    }

    /** @throws IllegalArgumentException naming what is wrong with the expression and how to write it */
    public static FilterCondition parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("an empty filter; write NAME OP VALUE, e.g. attributes.color = red");
        }
        String s = expression.strip();
        boolean isAttribute;
        int op;
        if (s.startsWith(ATTRIBUTE_PREFIX)) {
            isAttribute = true;
            op = indexOfOperator(s, ATTRIBUTE_PREFIX.length());
            if (op < 0) {
                throw invalid(expression, "has no operator; write NAME OP VALUE with OP one of = >= > <= <");
            }
        } else if (s.startsWith(INDEXED_AT) && (op = indexOfOperator(s, INDEXED_AT.length())) >= 0
                && s.substring(INDEXED_AT.length(), op).isBlank()) {
            isAttribute = false;
        } else {
            throw invalid(expression, "must start with '" + ATTRIBUTE_PREFIX + "<name>' or '" + INDEXED_AT
                    + "', then an operator (= >= > <= <) and a value");
        }
        String name = isAttribute ? s.substring(ATTRIBUTE_PREFIX.length(), op).strip() : null;
        if (isAttribute && name.isEmpty()) {
            throw invalid(expression, "names no attribute");
        }
        String rest = s.substring(op);
        String operator = rest.startsWith(">=") || rest.startsWith("<=") || rest.startsWith("==")
                || rest.startsWith("!=") ? rest.substring(0, 2) : rest.substring(0, 1);
        if (operator.startsWith("!")) {
            throw invalid(expression, "'!=' is not supported; use = or a range (>= > <= <)");
        }
        String value = rest.substring(operator.length()).strip();
        if (value.isEmpty()) {
            throw invalid(expression, "has no value after '" + operator + "'");
        }
        // Values go as strings: search-api reads a string bound as a number or a time, and a string eq of an
        // attribute as its exact text, which is what '=' means here.
        return switch (operator) {
            case "=", "==" -> new FilterCondition(name, isAttribute ? null : INDEXED_AT, value, null, null, null,
                    null, null);
            case ">=" -> range(name, isAttribute, null, value, null, null);
            case ">" -> range(name, isAttribute, value, null, null, null);
            case "<=" -> range(name, isAttribute, null, null, null, value);
            default -> range(name, isAttribute, null, null, value, null);
        };
    }

    private static FilterCondition range(String name, boolean isAttribute, String gt, String gte, String lt,
                                         String lte) {
        return new FilterCondition(name, isAttribute ? null : INDEXED_AT, null, null, gt, gte, lt, lte);
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

    private static IllegalArgumentException invalid(String expression, String why) {
        return new IllegalArgumentException("filter '" + expression.strip() + "' " + why);
    }
}
