package io.tessera.catalog.client;

import java.util.Objects;

/** Where a media.catalog record was read: for logs, the indexers' record bookkeeping and cache keys. */
public record CatalogPosition(String topic, int partition, long offset) {

    public CatalogPosition {
        Objects.requireNonNull(topic, "topic");
    }

    /** {@code topic-partition@offset}, as the indexers name records. */
    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
