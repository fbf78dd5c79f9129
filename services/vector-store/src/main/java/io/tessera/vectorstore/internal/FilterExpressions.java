package io.tessera.vectorstore.internal;

import io.tessera.vectorstore.RowCondition;
import io.tessera.vectorstore.RowFilter;
import io.tessera.vectorstore.SegmentScope;
import io.tessera.vectorstore.VectorFields;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds Milvus boolean expressions from typed values. Every value enters an expression only as an escaped string
 * literal, and every clause is parenthesised before it is joined, so that no value can change the structure of
 * the expression (a tenant of {@code A" || tenant == "B} stays one literal). This is what keeps tenants apart.
 * <p>
 * Hand-written because no library targets Milvus' expression grammar: Java/JSON escapers emit {@code \\uXXXX}
 * escapes that Milvus Lite's lexer rejects (it knows {@code \" \' \\ \n \r \t} only, as does Milvus for these).
 * Milvus filter templates ({@code {param}}) would avoid escaping altogether but fail on Milvus Lite.
 */
public final class FilterExpressions {

    /** A double-quoted Milvus string literal holding exactly {@code value}. */
    public static String literal(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        // Neither Milvus nor Milvus Lite can express other control characters; inputs are checked
                        // for them earlier, so reaching this is a bug, not bad data.
                        throw new IllegalArgumentException("control character U+" + Integer.toHexString(c)
                                + " cannot be written in a Milvus filter literal");
                    }
                    sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }

    public static String eq(String field, String value) {
        return field + " == " + literal(value);
    }

    public static String in(String field, Collection<String> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("an 'in' clause needs at least one value");
        }
        return field + " in [" + values.stream().map(FilterExpressions::literal).collect(Collectors.joining(", ")) + "]";
    }

    public static String notIn(String field, Collection<String> values) {
        return field + " not in [" + values.stream().map(FilterExpressions::literal).collect(Collectors.joining(", ")) + "]";
    }

    /** Joins clauses with {@code &&}, each in parentheses; an empty list gives the empty (match-all) expression. */
    public static String and(List<String> clauses) {
        if (clauses.size() == 1) {
            return "(" + clauses.get(0) + ")";
        }
        return clauses.stream().map(c -> "(" + c + ")").collect(Collectors.joining(" && "));
    }

    /** The filter of a tenant's search: the tenant clause first and always. */
    public static String search(String tenant, Set<String> modalities, SegmentScope scope) {
        return search(tenant, modalities, scope, List.of());
    }

    /** The filter of a tenant's search with attribute and time conditions, ANDed after the tenant clause. */
    public static String search(String tenant, Set<String> modalities, SegmentScope scope,
                                List<RowCondition> conditions) {
        List<String> clauses = new ArrayList<>();
        clauses.add(eq(VectorFields.TENANT, tenant));
        if (!modalities.isEmpty()) {
            clauses.add(in(VectorFields.MODALITY, modalities.stream().sorted().toList()));
        }
        scopeClause(scope, clauses);
        conditions.forEach(c -> clauses.add(condition(c)));
        return and(clauses);
    }

    /**
     * One condition. Attribute names go in as escaped string literals inside the JSON path's brackets, values as
     * escaped literals or as numbers formatted here. Milvus cannot use {@code in} on a JSON path, so a list of values
     * is an {@code ||} of equalities.
     */
    public static String condition(RowCondition condition) {
        return switch (condition) {
            case RowCondition.AttributeIn in -> {
                String path = jsonPath(VectorFields.ATTRIBUTES, in.name());
                yield in.values().stream().map(v -> path + " == " + literal(v)).collect(Collectors.joining(" || "));
            }
            case RowCondition.AttributeRange r -> range(jsonPath(VectorFields.ATTRIBUTE_NUMBERS, r.name()), r.range());
            case RowCondition.IndexedAtRange r -> range(VectorFields.INDEXED_AT, r.range());
        };
    }

    /** {@code field["key"]}: the key of a JSON (or dynamic) field, as a literal. */
    public static String jsonPath(String field, String key) {
        return field + "[" + literal(key) + "]";
    }

    private static String range(String path, RowCondition.Range range) {
        List<String> parts = new ArrayList<>(2);
        if (range.min() != null) {
            parts.add(path + (range.minInclusive() ? " >= " : " > ") + number(range.min()));
        }
        if (range.max() != null) {
            parts.add(path + (range.maxInclusive() ? " <= " : " < ") + number(range.max()));
        }
        return String.join(" && ", parts);
    }

    /** A Milvus number literal: a long as digits, a finite double in Java's notation (Milvus reads {@code 1.0E300}). */
    static String number(Number n) {
        if (n instanceof Long l) {
            return Long.toString(l);
        }
        double d = n.doubleValue();
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("not a finite number: " + n);
        }
        return Double.toString(d);
    }

    public static String rows(RowFilter filter) {
        List<String> clauses = new ArrayList<>();
        filter.tenant().ifPresent(t -> clauses.add(eq(VectorFields.TENANT, t)));
        filter.mediaId().ifPresent(m -> clauses.add(eq(VectorFields.MEDIA_ID, m)));
        filter.modality().ifPresent(m -> clauses.add(eq(VectorFields.MODALITY, m)));
        scopeClause(filter.scope(), clauses);
        return clauses.isEmpty() ? "" : and(clauses);
    }

    /** Rows of these media that are not among the rows just written. */
    public static String staleRows(Collection<String> mediaIds, Collection<String> keepPks) {
        return and(List.of(in(VectorFields.MEDIA_ID, mediaIds), notIn(VectorFields.PK, keepPks)));
    }

    public static String wholeItemRow(String tenant, String mediaId) {
        return and(List.of(eq(VectorFields.TENANT, tenant), eq(VectorFields.PK, VectorFields.pk(mediaId, VectorFields.WHOLE_ITEM))));
    }

    private static void scopeClause(SegmentScope scope, List<String> clauses) {
        switch (scope) {
            case ALL -> { }
            case WHOLE_ITEMS -> clauses.add(VectorFields.SEGMENT + " == " + VectorFields.WHOLE_ITEM);
            case SEGMENTS -> clauses.add(VectorFields.SEGMENT + " >= 0");
        }
    }

    private FilterExpressions() {
    }
}
