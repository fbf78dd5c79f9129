package io.tessera.embedding.model;

import java.util.Objects;
import java.util.regex.Pattern;

/** A model version: a name such as {@code tessera-tiny} and a positive version number. */
public record ModelRef(String name, int version) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public ModelRef {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("model name '" + name
                    + "' must be 1-128 characters of letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (version < 1) {
            throw new IllegalArgumentException("model version must be >= 1, got " + version);
        }
    }

    /** Parses {@code name/version}, e.g. {@code tessera-tiny/1}. */
    public static ModelRef parse(String text) {
        int slash = text.lastIndexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("expected <name>/<version>, got '" + text + "'");
        }
        try {
            return new ModelRef(text.substring(0, slash), Integer.parseInt(text.substring(slash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected <name>/<version> with a numeric version, got '" + text + "'");
        }
    }

    @Override
    public String toString() {
        return name + "/" + version;
    }
}
