package io.tessera.trainer.features;

import io.tessera.events.ContentReference;
import io.tessera.events.InlineBytes;
import io.tessera.events.InlineText;
import io.tessera.events.MediaArrived;
import io.tessera.events.Modality;
import java.util.Objects;

/**
 * What the trainer keeps of a {@code media.catalog} record: enough to fetch and decode the item, nothing else.
 *
 * @param content an {@link InlineBytes}, {@link ContentReference} or {@link InlineText}
 */
public record CatalogEntry(String mediaId, Modality modality, String contentType, Object content, String instruction) {

    public CatalogEntry {
        Objects.requireNonNull(mediaId, "mediaId");
        Objects.requireNonNull(modality, "modality");
        Objects.requireNonNull(content, "content");
    }

    public static CatalogEntry of(MediaArrived m) {
        return new CatalogEntry(m.getMediaId(), m.getModality(), m.getContentType(), m.getContent(), m.getInstruction());
    }
}
