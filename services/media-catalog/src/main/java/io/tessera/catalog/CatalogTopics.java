package io.tessera.catalog;

import io.tessera.events.Modality;
import io.tessera.events.Topics;
import java.util.List;
import java.util.Objects;

/**
 * The topics media-catalog reads and writes, under the deployment's prefix (see {@link Topics#withPrefix}).
 *
 * @param arrived the input: {@code media.arrived}
 * @param image where IMAGE items are routed
 * @param video where VIDEO items are routed
 * @param document where DOCUMENT items are routed
 * @param text where TEXT items are routed
 * @param catalog compacted: the latest accepted version of every item
 * @param indexed indexing outcomes (read into the status store; FAILED events for rejected records are written here)
 * @param deadLetter rejected records with their original bytes and provenance headers
 */
public record CatalogTopics(String arrived, String image, String video, String document, String text,
                            String catalog, String indexed, String deadLetter) {

    public CatalogTopics {
        Objects.requireNonNull(arrived, "arrived");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(video, "video");
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(indexed, "indexed");
        Objects.requireNonNull(deadLetter, "deadLetter");
    }

    /** The contract's topic names under a prefix ({@code ""} for none). */
    public static CatalogTopics withPrefix(String prefix) {
        return new CatalogTopics(
                Topics.withPrefix(prefix, Topics.MEDIA_ARRIVED),
                Topics.withPrefix(prefix, Topics.MEDIA_IMAGE),
                Topics.withPrefix(prefix, Topics.MEDIA_VIDEO),
                Topics.withPrefix(prefix, Topics.MEDIA_DOCUMENT),
                Topics.withPrefix(prefix, Topics.MEDIA_TEXT),
                Topics.withPrefix(prefix, Topics.MEDIA_CATALOG),
                Topics.withPrefix(prefix, Topics.MEDIA_INDEXED),
                Topics.withPrefix(prefix, Topics.MEDIA_DLQ));
    }

    /**
     * The topic items of a modality are routed to.
     *
     * @throws IllegalArgumentException for {@link Modality#UNKNOWN}: such items are rejected, never routed
     */
    public String forModality(Modality modality) {
        return switch (Objects.requireNonNull(modality, "modality")) {
            case IMAGE -> image;
            case VIDEO -> video;
            case DOCUMENT -> document;
            case TEXT -> text;
            case UNKNOWN -> throw new IllegalArgumentException("Modality UNKNOWN has no topic: the item must be rejected");
        };
    }

    /** The four routed topics. */
    public List<String> routed() {
        return List.of(image, video, document, text);
    }

    /** Every topic the service touches. */
    public List<String> all() {
        return List.of(arrived, image, video, document, text, catalog, indexed, deadLetter);
    }
}
