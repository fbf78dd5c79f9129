package io.tessera.catalog.internal;

import java.util.regex.Pattern;

/**
 * What a mediaId and a tenant may look like. mediaIds become Milvus primary keys ({@code <mediaId>#<segment>}) and
 * a REST path segment, so '#', '/', '?', '%' and white space are out; tenants become a Milvus partition-key value
 * and a query parameter.
 */
public final class Identifiers {

    public static final int MAX_MEDIA_ID_CHARS = 200;
    public static final int MAX_TENANT_CHARS = 64;
    public static final Pattern MEDIA_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@+=~-]{0," + (MAX_MEDIA_ID_CHARS - 1) + "}");
    public static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_TENANT_CHARS - 1) + "}");

    private Identifiers() {
    }

    public static boolean isMediaId(String value) {
        return value != null && MEDIA_ID.matcher(value).matches();
    }

    public static boolean isTenant(String value) {
        return value != null && TENANT.matcher(value).matches();
    }

    /** A value for a log line or an error message: bounded, control characters escaped. */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("'");
        int limit = Math.min(value.length(), 80);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (value.length() > limit) {
            out.append("…(").append(value.length()).append(" chars)");
        }
        return out.append('\'').toString();
    }
}
