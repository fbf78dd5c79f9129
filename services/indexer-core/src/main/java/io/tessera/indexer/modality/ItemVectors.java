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

    /**
     * One segment's vector; {@code startMs}/{@code endMs} only for video moments.
     *
     * @param passage the text the segment was embedded from, for showing the match (a text chunk, a page's text
     *                layer or OCR text, a moment's OCR text), whitespace collapsed; null when it has none
     */
    public record Segment(int index, Long startMs, Long endMs, float[] vector, String passage) {

        public Segment {
            passage = collapse(passage);
        }

        public Segment(int index, Long startMs, Long endMs, float[] vector) {
            this(index, startMs, endMs, vector, null);
        }

        /** Runs of whitespace (page layouts, OCR line breaks) as one space: the passage is read as one paragraph. */
        private static String collapse(String text) {
            if (text == null) {
                return null;
            }
            String collapsed = WHITESPACE.matcher(text).replaceAll(" ").strip();
            return collapsed.isEmpty() ? null : collapsed;
        }
    }

    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");

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

    /**
     * The passage of the whole-item row: its first segment's that has one (the beginning of a text, the first page
     * with text), so that an item without segment rows shows the text it was embedded from.
     */
    public String wholePassage() {
        return segments.stream().map(Segment::passage).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    /** Whether the item gets segment rows besides its whole-item row. */
    public boolean hasSegmentRows() {
        return segments.size() > 1;
    }
}
