package io.tessera.rollout;

import io.tessera.catalog.client.CatalogCursor;

/** Opens media.catalog at its beginning, once per backfill (Kafka: {@link CatalogCursor#open}). */
@FunctionalInterface
public interface CatalogSource {

    CatalogCursor open();
}
