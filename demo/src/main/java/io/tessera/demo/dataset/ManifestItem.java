package io.tessera.demo.dataset;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One catalog item of the dataset: what to publish as a {@code MediaArrived} event (mediaId, modality, contentType,
 * the file as a content reference, the attributes) and what it shows. {@code moments} is set for videos only,
 * {@code pages} and {@code video} for documents and videos respectively; the other fields always.
 */
public record ManifestItem(String mediaId, Modality modality, Split split, String file, String contentType,
        long sizeBytes, String sha256, String caption, Map<String, String> attributes, VideoInfo video,
        List<Moment> moments, List<PageAnnotation> pages) {

    public ManifestItem {
        Objects.requireNonNull(mediaId, "mediaId");
        Objects.requireNonNull(modality, "modality");
        attributes = Map.copyOf(attributes);
        moments = moments == null ? null : List.copyOf(moments);
        pages = pages == null ? null : List.copyOf(pages);
    }

    /** The item's file as the content reference of its {@code MediaArrived} event (an absolute {@code file:} URI). */
    public ContentRef content(java.nio.file.Path datasetRoot) {
        return new ContentRef(file, sizeBytes, sha256).resolvedAgainst(datasetRoot);
    }
}
