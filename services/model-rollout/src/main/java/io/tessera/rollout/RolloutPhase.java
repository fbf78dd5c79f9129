package io.tessera.rollout;

/** Where the roll-out of one indexer process stands. */
public enum RolloutPhase {
    /** Waiting for models.published and models.rollout to be read up to their ends (and Milvus to answer). */
    STARTING,
    /** Serving the live version only; no newer promoted version. */
    IDLE,
    /** A newer version is loading and warming. */
    LOADING,
    /** Writing new arrivals to the live and the new collection, and re-indexing media.catalog into the new one. */
    BACKFILLING,
    /** This modality has caught up (marker published); still dual-writing until every modality has. */
    AWAITING_FLIP,
    /**
     * The alias points at the new collection; new arrivals are still written to the old one too, for the drain delay
     * only (readers that cached the alias before the flip, e.g. search-api, still find every new item there).
     */
    DRAINING,
    /**
     * Only the new version is embedded and written; the old collection is kept, read-only, until the grace period
     * after the flip ends (queries in flight on it), then dropped.
     */
    RETIRING,
    /** The new version could not be loaded (bad artifact); serving the live version, retrying later. */
    FAILED
}
