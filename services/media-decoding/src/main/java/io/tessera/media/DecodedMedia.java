package io.tessera.media;

import java.util.List;
import java.util.Objects;

/**
 * What {@link MediaDecoder#decode} returns: one record per modality, with its segments in order.
 * Segment indexes are the {@code segment} column of the Milvus layout (0-based); the whole item is the caller's -1.
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

    /** One sampled frame, covering [{@code startMs}, {@code endMs}) of the video. */
    record VideoFrame(int index, long startMs, long endMs, RgbImage image) {
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
     * @param text       the page's text layer, empty when it has none or extraction is off
     */
    record DocumentPage(int index, int pageNumber, RgbImage image, float dpi, String text) {
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
