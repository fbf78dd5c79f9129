package io.tessera.indexer;

import io.tessera.embedding.EmbeddingRuntime;
import java.util.List;

/**
 * The model versions every item is indexed for, each given by the runtime that embeds for it; the collection is the
 * one of the model version the runtime reports with its vectors ({@code <model>_v<version>}).
 * <p>
 * Normally a single runtime: the current model version (its collection is created on demand and the alias created
 * if missing). During a roll-out a provider may return the old and the new version, so that items arriving while
 * the new collection is backfilled land in both; the pipeline then writes both collections and emits one
 * {@code MediaIndexed} per item and version. The first runtime decides how texts are chunked.
 */
@FunctionalInterface
public interface TargetCollections {

    /** The runtimes to embed each item with, current first; never empty. Called once per record. */
    List<EmbeddingRuntime> runtimes();

    /** Just the current model version of one runtime (which follows its hot swaps). */
    static TargetCollections single(EmbeddingRuntime runtime) {
        List<EmbeddingRuntime> only = List.of(runtime);
        return () -> only;
    }
}
