package io.tessera.embedding.model;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Where model versions live, laid out as {@code <root>/<model-name>/<version>/} with a model directory (HF CLIP
 * files plus {@code tessera-model.json}) in each. Backends: {@link LocalModelStore} (a directory) and
 * {@link CachingModelStore} (a remote store read through a local cache: {@link HttpModelFiles} over http(s), or an
 * S3 bucket from the object-store library).
 */
public interface ModelStore {

    /**
     * The checked local directory of a model version, fetched first where the store is remote.
     *
     * @throws ModelStoreException when the version does not exist (not retriable) or the store is unreachable
     *     (retriable)
     * @throws ModelLoadException when the files are there but broken
     */
    ModelDirectory open(ModelRef ref);

    /** The versions of a model the store holds, ascending; empty when it holds none. */
    List<Integer> versions(String modelName);

    /** Where this store is, for logs and error messages. */
    String describe();

    /**
     * Where a version's directory lives in this store, as a {@code ModelVersion.artifactUri} would name it
     * ({@code file:}, {@code s3:}, {@code http(s):}); empty when the store cannot say.
     */
    default Optional<URI> locationOf(ModelRef ref) {
        return Optional.empty();
    }

    default Optional<ModelRef> latest(String modelName) {
        List<Integer> v = versions(modelName);
        return v.isEmpty() ? Optional.empty() : Optional.of(new ModelRef(modelName, v.get(v.size() - 1)));
    }
}
