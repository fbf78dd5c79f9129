package io.tessera.vectorstore;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A typed condition on a row's attributes or indexing time, ANDed to a search's tenant, modality and scope clauses.
 * There is still no free-form filter: the store writes every clause itself, each value as an escaped literal or a
 * number it formatted, so no value can change the expression's structure.
 */
public sealed interface RowCondition {

    /** Most values in one {@link AttributeIn}. */
    int MAX_VALUES = 64;
    /** Longest attribute name, in UTF-8 bytes. */
    int MAX_NAME_BYTES = 256;
    /** Longest attribute value compared, in UTF-8 bytes. */
    int MAX_VALUE_BYTES = 4096;

    /** The attribute's string value is exactly one of {@code values}. */
    record AttributeIn(String name, List<String> values) implements RowCondition {
        public AttributeIn {
            name = attributeName(name);
            if (values == null || values.isEmpty() || values.size() > MAX_VALUES) {
                throw new InvalidVectorDataException("attribute '" + name + "': 1 to " + MAX_VALUES
                        + " values to compare with");
            }
            values = List.copyOf(values);
            for (String v : values) {
                if (v == null) {
                    throw new InvalidVectorDataException("attribute '" + name + "': a value is null");
                }
                if (v.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
                    throw new InvalidVectorDataException("attribute '" + name + "': a value is longer than "
                            + MAX_VALUE_BYTES + " bytes");
                }
                if (v.chars().anyMatch(Character::isISOControl)) {
                    throw new InvalidVectorDataException("attribute '" + name + "': a value contains a control"
                            + " character");
                }
            }
        }
    }

    /** The attribute's numeric value ({@link AttributeValues}, {@link VectorFields#ATTRIBUTE_NUMBERS}) is in range. */
    record AttributeRange(String name, Range range) implements RowCondition {
        public AttributeRange {
            name = attributeName(name);
            java.util.Objects.requireNonNull(range, "range");
        }
    }

    /** {@link VectorFields#INDEXED_AT} (epoch milliseconds) is in range. */
    record IndexedAtRange(Range range) implements RowCondition {
        public IndexedAtRange {
            java.util.Objects.requireNonNull(range, "range");
        }
    }

    /**
     * A numeric interval with at least one bound; {@code min == max}, both inclusive, is equality.
     *
     * @param min a {@code Long} or finite {@code Double}, or null for no lower bound
     */
    record Range(Number min, boolean minInclusive, Number max, boolean maxInclusive) {
        public Range {
            if (min == null && max == null) {
                throw new InvalidVectorDataException("a range needs a lower or an upper bound");
            }
            min = finite(min);
            max = finite(max);
        }

        public static Range atLeast(Number min) {
            return new Range(min, true, null, false);
        }

        public static Range exactly(Number value) {
            return new Range(value, true, value, true);
        }

        private static Number finite(Number n) {
            if (n == null || n instanceof Long) {
                return n;
            }
            if (n instanceof Integer || n instanceof Short || n instanceof Byte) {
                return n.longValue();
            }
            double d = n.doubleValue();
            if (!Double.isFinite(d)) {
                throw new InvalidVectorDataException("a range bound must be a finite number, was " + n);
            }
            return d;
        }
    }

    private static String attributeName(String name) {
        return Checks.identifier("attribute name", name, MAX_NAME_BYTES);
    }
}
