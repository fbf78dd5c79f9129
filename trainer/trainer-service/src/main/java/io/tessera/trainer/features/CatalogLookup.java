package io.tessera.trainer.features;

import io.tessera.catalog.client.CatalogEntry;
import io.tessera.catalog.client.CatalogTable;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.slf4j.LoggerFactory;

/** Finds catalog items by mediaId (the trainer's view of the compacted {@code media.catalog} topic). */
@FunctionalInterface
public interface CatalogLookup {

    Optional<CatalogEntry> find(String mediaId);

    /**
     * Waits until everything published to the catalog before this call is visible (a round calls it before resolving
     * its pairs, so items published just before their pairs are found). A no-op for static lookups.
     */
    default void catchUp(Duration timeout) {
    }

    static CatalogLookup empty() {
        return id -> Optional.empty();
    }

    /** The table, rebuilt from the topic at every start: pairs whose items it has not seen yet are deferred. */
    static CatalogLookup of(CatalogTable table) {
        return new CatalogLookup() {
            @Override
            public Optional<CatalogEntry> find(String mediaId) {
                return table.find(mediaId);
            }

            @Override
            public void catchUp(Duration timeout) {
                try {
                    table.awaitCaughtUp(timeout);
                } catch (TimeoutException e) {
                    // Not fatal: pairs whose items are not visible yet are deferred to the next round.
                    LoggerFactory.getLogger(CatalogLookup.class).warn(e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }
}
