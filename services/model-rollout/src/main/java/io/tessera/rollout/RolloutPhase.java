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
    /** The alias points at the new collection; still writing the old one for the grace period (cached readers). */
    RETIRING,
    /** The new version could not be loaded (bad artifact); serving the live version, retrying later. */
    FAILED
}
