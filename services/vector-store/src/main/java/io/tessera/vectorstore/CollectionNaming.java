package io.tessera.vectorstore;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that turns a model name and version into Milvus names (docs/architecture.md, "Milvus"):
 * collection {@code <prefix><model>_v<version>}, alias {@code <prefix><model>}, where {@code <model>} is the model
 * name with every character outside {@code [A-Za-z0-9_]} replaced by {@code _}.
 * <p>
 * Every service (indexers, search-api, trainer, tests) must use this instead of formatting names itself.
 *
 * @param prefix configurable prefix, may be empty; must itself be a valid name start (letter or underscore)
 */
public record CollectionNaming(String prefix) {

    // Before DEFAULT: static fields initialise in order and the constructor needs these.
    private static final Pattern PREFIX = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)?");
    private static final Pattern OUTSIDE_NAME_CHARS = Pattern.compile("[^A-Za-z0-9_]");

    /** The prefix used when none is configured. */
    public static final String DEFAULT_PREFIX = "";

    /** The naming with {@link #DEFAULT_PREFIX}. */
    public static final CollectionNaming DEFAULT = new CollectionNaming(DEFAULT_PREFIX);

    /** Milvus' limit on collection and alias names. */
    public static final int MAX_NAME_LENGTH = 255;

    public CollectionNaming {
        Objects.requireNonNull(prefix, "prefix");
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("collection prefix '" + prefix
                    + "' must be empty or start with a letter or '_' followed by letters, digits or '_'");
        }
    }

    /** {@code tessera-tiny} → {@code tessera_tiny}. */
    public static String modelKey(String modelName) {
        if (modelName == null || modelName.isBlank()) {
            throw new IllegalArgumentException("model name must not be blank");
        }
        return OUTSIDE_NAME_CHARS.matcher(modelName).replaceAll("_");
    }

    /** The collection that holds the vectors of one model version: {@code tessera_tiny_v1}. */
    public String collection(String modelName, int version) {
        if (version < 1) {
            throw new IllegalArgumentException("model version must be >= 1, was " + version);
        }
        return checkedLength(alias(modelName) + "_v" + version);
    }

    /** The alias that points at the live collection of a model: {@code tessera_tiny}. */
    public String alias(String modelName) {
        String key = modelKey(modelName);
        // Milvus names must not start with a digit; an empty prefix with a model like "3d-net" would.
        if (prefix.isEmpty() && Character.isDigit(key.charAt(0))) {
            throw new IllegalArgumentException("model name '" + modelName
                    + "' starts with a digit: configure a collection prefix so the Milvus name starts with a letter");
        }
        return checkedLength(prefix + key);
    }

    /**
     * The version encoded in a collection name of this model, or empty when the name is not one of its
     * collections ({@code tessera_tiny_v3} → 3; {@code tessera_tiny_extra_v3} → empty for {@code tessera-tiny}).
     */
    public OptionalInt versionOf(String modelName, String collectionName) {
        Matcher m = Pattern.compile(Pattern.quote(alias(modelName)) + "_v([1-9][0-9]{0,8})").matcher(collectionName);
        return m.matches() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    private static String checkedLength(String name) {
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("Milvus name '" + name + "' is longer than " + MAX_NAME_LENGTH + " characters");
        }
        return name;
    }
}
