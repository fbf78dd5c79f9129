package io.tessera.catalog;

import io.tessera.events.IndexStatus;
import io.tessera.events.Modality;

/** What the topology counts. The service binds it to Micrometer; tests can use {@link #NONE} or their own. */
public interface CatalogMetrics {

    /** What happened to one record read from media.arrived. */
    enum Outcome {
        /** A new item, routed. */
        ACCEPTED,
        /** A known item whose content or metadata changed, routed again. */
        UPDATED,
        /** A re-publish of what the catalog already has: not routed. */
        DEDUPLICATED,
        /** A tombstone for a known item, routed to its modality's topic. */
        DELETED,
        /** The record that last changed an item, read again after a restart: routed again (at-least-once). */
        REPLAYED,
        /** A tombstone for an item the catalog does not have (or already deleted): dropped. */
        TOMBSTONE_IGNORED,
        /** Dead-lettered. */
        REJECTED
    }

    void record(Outcome outcome, Modality modality);

    /** A record went to the DLQ for {@code reasonCode}, read from {@code sourceTopic}. */
    void deadLettered(String reasonCode, String sourceTopic);

    /** A media.indexed event was applied to the status store, or skipped for {@code skipReason}. */
    void statusEvent(IndexStatus status, String skipReason);

    /** DELETED entries purged after their retention. */
    void purged(int entries);

    CatalogMetrics NONE = new CatalogMetrics() {
        @Override
        public void record(Outcome outcome, Modality modality) {
        }

        @Override
        public void deadLettered(String reasonCode, String sourceTopic) {
        }

        @Override
        public void statusEvent(IndexStatus status, String skipReason) {
        }

        @Override
        public void purged(int entries) {
        }
    };
}
