package io.tessera.search.internal;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of an HTTP {@code Range} header (RFC 9110 §14), as video players send them: {@code bytes=0-},
 * {@code bytes=1000-1999}, {@code bytes=-500} (the last 500 bytes). Several ranges in one header (multipart answers)
 * are not served: the header is ignored and the whole content sent, as the RFC allows, which players never ask
 * for anyway. A plain function of the header and the length, so every case is unit-tested without a server.
 *
 * @param first the first byte, inclusive
 * @param last  the last byte, inclusive
 */
record ByteRange(long first, long last) {

    private static final Pattern SINGLE = Pattern.compile("\\s*bytes\\s*=\\s*(\\d*)\\s*-\\s*(\\d*)\\s*",
            Pattern.CASE_INSENSITIVE);

    /** A range that can never be served (416). */
    static final class Unsatisfiable extends RuntimeException {
        Unsatisfiable(String message) {
            super(message, null, false, false);
        }
    }

    long length() {
        return last - first + 1;
    }

    /**
     * @return empty to send the whole content (no header, another unit, several ranges)
     * @throws Unsatisfiable when the range lies outside the content or is malformed (last before first, no numbers)
     */
    static Optional<ByteRange> parse(String header, long size) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String h = header.strip();
        if (!h.regionMatches(true, 0, "bytes", 0, 5)) {
            // Another range unit: ignored (RFC 9110 §14.2).
            return Optional.empty();
        }
        if (h.indexOf(',') >= 0) {
            return Optional.empty();
        }
        Matcher m = SINGLE.matcher(h);
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            throw new Unsatisfiable("malformed range '" + header + "'");
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0 || size == 0) {
                    throw new Unsatisfiable("an empty suffix range");
                }
                return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
            if (first >= size) {
                throw new Unsatisfiable("the range starts at byte " + first + " of a " + size + "-byte content");
            }
            if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < first) {
                throw new Unsatisfiable("the range ends before it starts");
            }
            return Optional.of(new ByteRange(first, last));
        } catch (NumberFormatException e) {
            throw new Unsatisfiable("a range position beyond any content");
        }
    }
}
