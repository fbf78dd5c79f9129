package io.tessera.embedding.model;

import java.io.InputStream;
import java.net.URI;
import java.util.List;

/**
 * The files of model versions somewhere else than this machine (an http(s) server, an S3 bucket), in the store
 * layout {@code <base>/<name>/<version>/<file>}. {@link CachingModelStore} downloads from one of these into a local
 * cache and checks every byte against the manifest; implementations only move bytes.
 */
public interface RemoteModelFiles {

    /**
     * One file of a version; the caller closes the stream.
     *
     * @throws ModelStoreException not retriable when the file (or the version) does not exist or access is denied,
     *     retriable when the store cannot be reached
     */
    InputStream open(ModelRef ref, String file);

    /**
     * The versions of a model whose manifest is in the store (a version becomes visible when its manifest is, which
     * publishers write last), ascending; empty when there are none.
     *
     * @throws ModelStoreException retriable when the store cannot be reached
     */
    List<Integer> versions(String modelName);

    /** Where a version's directory is: its {@code ModelVersion.artifactUri}, ending in {@code /}. */
    URI locationOf(ModelRef ref);

    /** Where this store is, for logs and error messages. */
    String describe();
}
