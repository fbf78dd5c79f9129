package io.tessera.catalog.internal;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Media types ({@code type/subtype; params}) as publishers send them, and the patterns they are matched against. */
public final class ContentTypes {

    // RFC 6838 restricted-name characters; parameters after ';' are ignored for matching.
    private static final Pattern MEDIA_TYPE =
            Pattern.compile("([a-z0-9][a-z0-9!#$&^_.+-]{0,126})/([a-z0-9][a-z0-9!#$&^_.+-]{0,126})");
    private static final Pattern PATTERN =
            Pattern.compile("([a-z0-9][a-z0-9!#$&^_.+-]{0,126})/(\\*|[a-z0-9][a-z0-9!#$&^_.+-]{0,126})");

    private ContentTypes() {
    }

    /** The essence ({@code type/subtype}, lower case) of a media type, or empty when it is not one. */
    public static Optional<String> essence(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        int semicolon = contentType.indexOf(';');
        String essence = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return MEDIA_TYPE.matcher(essence).matches() ? Optional.of(essence) : Optional.empty();
    }

    /** Whether {@code essence} matches one of the patterns ({@code image/*} or an exact {@code application/pdf}). */
    public static boolean matchesAny(String essence, List<String> patterns) {
        for (String pattern : patterns) {
            if (pattern.endsWith("/*") ? essence.startsWith(pattern.substring(0, pattern.length() - 1))
                    : essence.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    /** Checks a configured pattern, naming the property when it is malformed. */
    public static String requirePattern(String property, String pattern) {
        String normalized = pattern == null ? "" : pattern.trim().toLowerCase(Locale.ROOT);
        if (!PATTERN.matcher(normalized).matches()) {
            throw new IllegalArgumentException(property + " has '" + pattern + "', which is not a media type pattern:"
                    + " use type/subtype or type/* (for example image/* or application/pdf)");
        }
        return normalized;
    }
}
