package io.tessera.vectorstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AttributeValuesTest {

    @Test
    void decimalNumbersReadExactlyWhenTheyCan() {
        assertEquals(Optional.of(2020L), AttributeValues.number("2020"));
        assertEquals(Optional.of(-5L), AttributeValues.number(" -5 "));
        assertEquals(Optional.of(7L), AttributeValues.number("+007"));
        assertEquals(Optional.of(10.5), AttributeValues.number("10.5"));
        assertEquals(Optional.of(1_000_000L), AttributeValues.number("1e6"), "integral, so exact");
        assertEquals(Optional.of(0.5), AttributeValues.number(".5"));
        assertEquals(Optional.of(9_007_199_254_740_993L), AttributeValues.number("9007199254740993"),
                "beyond 2^53 a double would round; a long does not");
        assertEquals(Optional.of(1e19), AttributeValues.number("10000000000000000000"), "past a long: a double");
    }

    @Test
    void whatIsNotPlainlyANumberIsNot() {
        for (String s : new String[] {"", " ", "abc", "NaN", "Infinity", "-Infinity", "0x10", "1,5", "1 000", "1e",
                "12px", "1.2.3", "--1", "1e99999", "١٢٣", "1d", "1f", "0b101"}) {
            assertEquals(Optional.empty(), AttributeValues.number(s), s);
        }
        assertEquals(Optional.empty(), AttributeValues.number("1".repeat(41)), "40 characters at most");
    }

    @Test
    void timesWithAZoneAndDatesReadAsEpochMillis() {
        assertEquals(Optional.of(1_714_557_600_000L), AttributeValues.time("2024-05-01T10:00:00Z"));
        assertEquals(Optional.of(1_714_557_600_000L), AttributeValues.time("2024-05-01T12:00:00+02:00"));
        assertEquals(Optional.of(1_714_557_600_123L), AttributeValues.time("2024-05-01T10:00:00.123Z"));
        assertEquals(Optional.of(1_714_521_600_000L), AttributeValues.time("2024-05-01"), "midnight UTC");
        assertEquals(Optional.of(1_714_521_600_000L), AttributeValues.numeric("2024-05-01"));
    }

    @Test
    void aTimeWithoutAZoneOrAnImpossibleDateIsNotATime() {
        for (String s : new String[] {"2024-05-01T10:00:00", "2024-13-01", "2024-02-30", "01/05/2024", "2024",
                "yesterday", "2024-05-01T25:00:00Z"}) {
            assertEquals(Optional.empty(), AttributeValues.time(s), s);
        }
        assertTrue(AttributeValues.numeric("2024").isPresent(), "a year alone is a number");
    }
}
