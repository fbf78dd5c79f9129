package io.tessera.rollout;

import io.tessera.catalog.client.CatalogPosition;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.events.MediaArrived;
import java.util.concurrent.CompletableFuture;

/**
 * The indexer's side of the backfill: decode and embed one catalog item with {@code target} and write its rows
 * into the collection of {@code target}'s model version, the same way live arrivals are indexed. Keeps decoding
 * and embedding in the indexer's code.
 */
@FunctionalInterface
public interface BackfillIndexer {

    /**
     * @param source where the catalog record was read
     * @return INDEXED once the rows are written; REJECTED when the item is bad content (it is skipped, as the live
     *     pipeline dead-lettered it); an exceptionally completed future for transient faults, which are retried
     */
    CompletableFuture<Outcome> reindex(MediaArrived item, CatalogPosition source, EmbeddingRuntime target);

    enum Outcome { INDEXED, REJECTED }
}
