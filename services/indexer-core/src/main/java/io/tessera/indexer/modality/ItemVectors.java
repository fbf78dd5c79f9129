package io.tessera.indexer.modality;

import io.tessera.embedding.model.ModelRef;
import java.util.List;
import java.util.Objects;

/**
 * The vectors of one item from one model version: one per segment (a video's moments, a document's pages, a text's
 * chunks; an image has one) and the whole-item vector. Which of them become rows is decided in one place, the
 * pipeline, after docs/architecture.md: the whole-item row always, segment rows only when there are several segments.
 *
 * @param wholeStartMs where the whole item starts in time (videos: 0), or null
 * @param wholeEndMs   where it ends (videos: the duration), or null
 */
public record ItemVectors(ModelRef model, List<Segment> segments, float[] whole, Long wholeStartMs, Long wholeEndMs) {

    /** One segment's vector; {@code startMs}/{@code endMs} only for video moments. */
    public record Segment(int index, Long startMs, Long endMs, float[] vector) {
    }

    public ItemVectors {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(whole, "whole");
        segments = List.copyOf(segments);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("an item has at least one segment");
        }
    }

    public int dimension() {
        return whole.length;
    }

    /** Whether the item gets segment rows besides its whole-item row. */
    public boolean hasSegmentRows() {
        return segments.size() > 1;
    }
}
