package io.tessera.rollout;

import io.tessera.events.MediaArrived;
import java.util.Objects;

/**
 * One record of media.catalog as the backfill sees it.
 *
 * @param mediaId     the key
 * @param arrived     the item; null for a tombstone (deleted) or when the value could not be read
 * @param unreadable  why the value could not be read (not Avro, unknown schema); null otherwise
 * @param source      where it was read
 */
public record CatalogEntry(String mediaId, MediaArrived arrived, String unreadable, CatalogPosition source) {

    public CatalogEntry {
        Objects.requireNonNull(mediaId, "mediaId");
        Objects.requireNonNull(source, "source");
    }

    public static CatalogEntry item(MediaArrived arrived, CatalogPosition source) {
        return new CatalogEntry(arrived.getMediaId(), arrived, null, source);
    }

    public static CatalogEntry tombstone(String mediaId, CatalogPosition source) {
        return new CatalogEntry(mediaId, null, null, source);
    }

    public static CatalogEntry unreadable(String mediaId, String reason, CatalogPosition source) {
        return new CatalogEntry(mediaId, null, reason, source);
    }

    public boolean isTombstone() {
        return arrived == null && unreadable == null;
    }
}
