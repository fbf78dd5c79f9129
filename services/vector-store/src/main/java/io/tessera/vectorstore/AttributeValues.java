package io.tessera.vectorstore;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How an attribute's string value reads as a number, for range filters ({@link VectorFields#ATTRIBUTE_NUMBERS}).
 * The writer and the readers of filters share this one definition, so a bound and a stored value always mean the
 * same thing.
 * <ul>
 *   <li>a decimal number: {@code 2020}, {@code -3.5}, {@code 1e6} (no hex, no {@code NaN}/{@code Infinity}, no
 *       spaces inside); an integer that fits a {@code long} stays exact, anything else is a finite {@code double};</li>
 *   <li>an ISO-8601 instant with a zone ({@code 2024-05-01T10:00:00Z}, {@code 2024-05-01T12:00:00+02:00}) or a date
 *       ({@code 2024-05-01}, midnight UTC): epoch milliseconds. A date-time without a zone is not a time: it would
 *       mean a different instant in every time zone.</li>
 * </ul>
 */
public final class AttributeValues {

    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d{1,4})?");
    /** Long digit strings are ids or codes rather than quantities; 40 digits also keeps BigDecimal cheap. */
    private static final int MAX_NUMBER_CHARS = 40;

    /** The value as a number or a time, if it is either. */
    public static Optional<Number> numeric(String value) {
        Optional<Number> number = number(value);
        return number.isPresent() ? number : time(value).map(Long::valueOf);
    }

    /** A decimal number: a {@code Long} when integral and in range, else a finite {@code Double}. */
    public static Optional<Number> number(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.strip();
        if (v.isEmpty() || v.length() > MAX_NUMBER_CHARS || !DECIMAL.matcher(v).matches()) {
            return Optional.empty();
        }
        BigDecimal exact = new BigDecimal(v);
        try {
            return Optional.of(exact.longValueExact());
        } catch (ArithmeticException notALong) {
            double d = exact.doubleValue();
            return Double.isFinite(d) ? Optional.of(d) : Optional.empty();
        }
    }

    /** An ISO-8601 instant with a zone, or a date (midnight UTC), as epoch milliseconds. */
    public static Optional<Long> time(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.strip();
        // The cheapest test first: every accepted form starts with a four-digit year and a dash.
        if (v.length() < 10 || v.length() > 40 || v.charAt(4) != '-') {
            return Optional.empty();
        }
        try {
            if (v.length() == 10) {
                return Optional.of(LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
            }
            return Optional.of(OffsetDateTime.parse(v).toInstant().toEpochMilli());
        } catch (DateTimeParseException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    private AttributeValues() {
    }
}
