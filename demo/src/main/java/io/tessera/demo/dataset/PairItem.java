package io.tessera.demo.dataset;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One side of a training pair, with the fields of the schemas' {@code Item}; as there, exactly one of {@code text},
 * {@code mediaId} and {@code content} is set. A query and a text passage are given as {@code text}; an image of the
 * catalog by its {@code mediaId}; a video-moment frame or a document page, which are not catalog items of their
 * own, as {@code content} (the PNG of the frame or page, modality {@link Modality#IMAGE} because that is what the
 * content is).
 */
public record PairItem(Modality modality, String text, String mediaId, ContentRef content, String instruction) {

    public PairItem {
        Objects.requireNonNull(modality, "modality");
        int set = (text != null ? 1 : 0) + (mediaId != null ? 1 : 0) + (content != null ? 1 : 0);
        if (set != 1) {
            throw new IllegalArgumentException("an item has exactly one of text, mediaId and content; this one has "
                    + set + " (text=" + text + ", mediaId=" + mediaId + ", content=" + content + ")");
        }
    }

    public static PairItem text(String text) {
        return new PairItem(Modality.TEXT, Objects.requireNonNull(text, "text"), null, null, null);
    }

    public static PairItem media(Modality modality, String mediaId) {
        return new PairItem(modality, null, Objects.requireNonNull(mediaId, "mediaId"), null, null);
    }

    public static PairItem content(Modality modality, ContentRef content) {
        return new PairItem(modality, null, null, Objects.requireNonNull(content, "content"), null);
    }

    public PairItem resolvedAgainst(Path directory) {
        return content == null ? this
                : new PairItem(modality, text, mediaId, content.resolvedAgainst(directory), instruction);
    }
}
