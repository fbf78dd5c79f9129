package io.tessera.catalog.client;

import io.tessera.events.InlineBytes;
import io.tessera.events.MediaArrived;
import io.tessera.events.Modality;
import java.util.Objects;

/**
 * One record of media.catalog: the latest accepted version of an item, a tombstone (the item was deleted) or a value
 * that could not be read. A {@link CatalogTable} holds items only; a {@link CatalogCursor} returns all three kinds.
 *
 * @param mediaId    the key
 * @param item       the item; null for a tombstone or an unreadable value. In a table built without inline content,
 *                   inline bytes and text are empty: read the bytes with {@link CatalogTable#inlineBytes}
 * @param unreadable why the value could not be read (no key, not Avro, unknown schema); null otherwise
 * @param position   where it was read
 */
public record CatalogEntry(String mediaId, MediaArrived item, String unreadable, CatalogPosition position) {

    public CatalogEntry {
        Objects.requireNonNull(mediaId, "mediaId");
        Objects.requireNonNull(position, "position");
    }

    public static CatalogEntry item(MediaArrived item, CatalogPosition position) {
        return new CatalogEntry(item.getMediaId(), item, null, position);
    }

    public static CatalogEntry tombstone(String mediaId, CatalogPosition position) {
        return new CatalogEntry(mediaId, null, null, position);
    }

    public static CatalogEntry unreadable(String mediaId, String reason, CatalogPosition position) {
        return new CatalogEntry(mediaId, null, reason, position);
    }

    public boolean isTombstone() {
        return item == null && unreadable == null;
    }

    public String tenant() {
        return item == null ? null : item.getTenant();
    }

    public Modality modality() {
        return item == null ? null : item.getModality();
    }

    public String contentType() {
        return item == null ? null : item.getContentType();
    }

    /** An {@link InlineBytes}, {@link io.tessera.events.ContentReference} or {@link io.tessera.events.InlineText}. */
    public Object content() {
        return item == null ? null : item.getContent();
    }

    public String instruction() {
        return item == null ? null : item.getInstruction();
    }

    /** Changes whenever the item is republished: part of cache keys. */
    public String version() {
        return position.partition() + ":" + position.offset();
    }
}
