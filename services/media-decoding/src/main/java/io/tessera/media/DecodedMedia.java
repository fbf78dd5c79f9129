package io.tessera.media;

import java.util.List;
import java.util.Objects;

/**
 * What {@link MediaDecoder#decode} returns: one record per modality, with its segments in order, indexed from 0.
 * Pages and chunks are the {@code segment} column of the Milvus layout as they are (the whole item is the caller's
 * -1); a video's frames are merged into moments by the indexer first, numbered the same way.
 */
public sealed interface DecodedMedia {

    Modality modality();

    /** Size and sha256 of the bytes decoded (for text given inline: of its UTF-8 encoding). */
    ContentInfo content();

    /** Natural segments: 1 for an image, frames for a video, pages for a document, chunks for a text. */
    int segmentCount();

    record ContentInfo(long sizeBytes, String sha256) {
        public ContentInfo {
            Objects.requireNonNull(sha256, "sha256");
        }
    }

    /**
     * @param image        RGB, subsampled while decoding when the source was large
     * @param sourceWidth  width as the file declares it
     * @param sourceHeight height as the file declares it
     * @param format       the ImageIO format name that decoded it (jpeg, png, webp, gif, bmp)
     * @param truncated    the data ended early and the image is partial (only with
     *                     {@link DecodeOptions.TruncatedImagePolicy#ACCEPT_FLAGGED})
     */
    record DecodedImage(ContentInfo content, RgbImage image, int sourceWidth, int sourceHeight, String format,
                        boolean truncated) implements DecodedMedia {
        @Override
        public Modality modality() {
            return Modality.IMAGE;
        }

        @Override
        public int segmentCount() {
            return 1;
        }
    }

    /**
     * Where a page's or frame's {@code text} comes from, or, when it has none, why (OCR outcomes are also logged).
     */
    enum TextOrigin {
        /** No text, none looked for: text extraction or OCR off, or no OCR engine installed. */
        NONE,
        /** The page's text layer. */
        TEXT_LAYER,
        /** Read from the picture by OCR. */
        OCR,
        /** OCR ran and found no text (or only words below the confidence and length thresholds). */
        OCR_EMPTY,
        /**
         * OCR was not run here: left out by the item's OCR limits (pages per document, frames per video spread over
         * its length, time budget, or earlier failures).
         */
        OCR_SKIPPED,
        /** OCR was stopped after the per-call timeout. */
        OCR_TIMED_OUT,
        /** OCR failed (the engine's error is in the log). */
        OCR_FAILED
    }

    /**
     * One sampled frame, covering [{@code startMs}, {@code endMs}) of the video.
     *
     * @param text       text read from the frame by OCR (captions, titles, slides), empty when none
     * @param textOrigin {@link TextOrigin#OCR} when there is text, else why there is none
     * @param sceneCut   the picture changed shot since the previous sampled frame (a hard cut, the end of a
     *                   dissolve, or a change such as the next slide in an otherwise still shot), judged from the
     *                   pixels of the frames; false for the first frame
     */
    record VideoFrame(int index, long startMs, long endMs, RgbImage image, String text, TextOrigin textOrigin,
                      boolean sceneCut) {
        public VideoFrame {
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(textOrigin, "textOrigin");
        }

        /** A frame that continues the shot of the previous one. */
        public VideoFrame(int index, long startMs, long endMs, RgbImage image, String text, TextOrigin textOrigin) {
            this(index, startMs, endMs, image, text, textOrigin, false);
        }

        /** A frame without text that continues the shot of the previous one. */
        public VideoFrame(int index, long startMs, long endMs, RgbImage image) {
            this(index, startMs, endMs, image, "", TextOrigin.NONE, false);
        }

        public boolean hasText() {
            return !text.isBlank();
        }
    }

    /**
     * @param frames     sampled frames in time order; the first is the first frame of the video
     * @param durationMs the container's duration, or the end of the last decoded frame when it has none
     * @param intervalMs the sampling interval used (longer than asked when {@code maxFrames} required it)
     * @param complete   false when the stream ended clearly before its declared duration (a cut-off file)
     */
    record DecodedVideo(ContentInfo content, List<VideoFrame> frames, long durationMs, long intervalMs,
                        int sourceWidth, int sourceHeight, String codec, boolean complete) implements DecodedMedia {
        public DecodedVideo {
            frames = List.copyOf(frames);
        }

        @Override
        public Modality modality() {
            return Modality.VIDEO;
        }

        @Override
        public int segmentCount() {
            return frames.size();
        }
    }

    /**
     * @param index      0-based (the segment number)
     * @param pageNumber 1-based, as people count pages
     * @param image      the rendered page
     * @param dpi        the resolution it was rendered at (lower than asked for a page too large for the pixel cap)
     * @param text       the page's text layer; for a page without one (fewer than
     *                   {@link io.tessera.media.ocr.OcrOptions#minPageTextChars()} characters), the text OCR read
     *                   from it when OCR is on; empty when there is none or extraction is off
     * @param textOrigin where {@code text} comes from, or why there is none
     */
    record DocumentPage(int index, int pageNumber, RgbImage image, float dpi, String text, TextOrigin textOrigin) {
        public DocumentPage {
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(textOrigin, "textOrigin");
        }

        /** A page whose text, if any, is its text layer. */
        public DocumentPage(int index, int pageNumber, RgbImage image, float dpi, String text) {
            this(index, pageNumber, image, dpi, text, text.isBlank() ? TextOrigin.NONE : TextOrigin.TEXT_LAYER);
        }

        public boolean hasText() {
            return !text.isBlank();
        }
    }

    record DecodedDocument(ContentInfo content, List<DocumentPage> pages) implements DecodedMedia {
        public DecodedDocument {
            pages = List.copyOf(pages);
        }

        @Override
        public Modality modality() {
            return Modality.DOCUMENT;
        }

        @Override
        public int segmentCount() {
            return pages.size();
        }
    }

    /**
     * @param text   the whole text (Unicode-normalised line breaks are not applied: offsets index this string)
     * @param chunks consecutive, overlapping chunks that together cover the whole text
     */
    record DecodedText(ContentInfo content, String text, List<TextChunk> chunks) implements DecodedMedia {
        public DecodedText {
            chunks = List.copyOf(chunks);
        }

        @Override
        public Modality modality() {
            return Modality.TEXT;
        }

        @Override
        public int segmentCount() {
            return chunks.size();
        }
    }
}
