package io.tessera.vectorstore;

import java.util.Objects;

/**
 * Which model version made (or will make) a collection. Recorded in the collection's properties so that
 * search-api can find the version behind the alias and encode queries with it.
 */
public record ModelSpec(String name, int version, int dimension) {

    /** Milvus' limit on FloatVector dimensions. */
    public static final int MAX_DIMENSION = 32_768;

    public ModelSpec {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("model name must not be blank");
        }
        if (version < 1) {
            throw new IllegalArgumentException("model version must be >= 1, was " + version);
        }
        if (dimension < 2 || dimension > MAX_DIMENSION) {
            throw new IllegalArgumentException("vector dimension must be in [2, " + MAX_DIMENSION + "], was " + dimension);
        }
    }
}
