package io.tessera.trainer.features;

import java.util.Optional;

/** Finds catalog items by mediaId (the trainer's view of the compacted {@code media.catalog} topic). */
@FunctionalInterface
public interface CatalogLookup {

    Optional<CatalogEntry> find(String mediaId);

    /**
     * Waits until everything published to the catalog before this call is visible (a round calls it before resolving
     * its pairs, so items published just before their pairs are found). A no-op for static lookups.
     */
    default void catchUp(java.time.Duration timeout) {
    }

    static CatalogLookup empty() {
        return id -> Optional.empty();
    }
}
