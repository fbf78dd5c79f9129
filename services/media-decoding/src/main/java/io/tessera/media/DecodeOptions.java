package io.tessera.media;

import io.tessera.media.ocr.OcrOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * Limits and targets for decoding. Immutable; {@link #defaults()} suits the default model (a 256 short side, cropped
 * to 224).
 *
 * @param maxImagePixels       width x height above which an image is rejected, read from its header before decoding
 * @param imageTargetShortSide large images are subsampled while decoding so their shorter side stays at or just above
 *                             this (0 = full resolution); the embedding runtime does the final resize. Default
 *                             1024: four times the default model's side, below which subsampling (which skips pixels
 *                             rather than averaging them) starts to change what the model sees
 * @param truncatedImages      what to do with an image whose data ends early
 * @param frameInterval        video frames are sampled at 0, interval, 2 x interval, ... (the first frame always)
 * @param maxVideoDuration     longer videos are rejected ({@link RejectReason#DURATION_LIMIT})
 * @param maxFrames            the most frames sampled from one video; a longer video gets a proportionally longer
 *                             interval so that its frames still cover all of it
 * @param frameShortSide       frames are decoded by FFmpeg straight to this shorter side, aspect ratio kept
 * @param pageDpi              PDF pages are rendered at this resolution ...
 * @param maxPagePixels        ... unless that gives more pixels than this, then at the DPI that gives this many
 * @param maxPages             documents with more pages are rejected ({@link RejectReason#PAGE_LIMIT})
 * @param extractPageText      whether text is extracted: each page's text layer, and OCR of pages and video frames
 *                             (as {@code ocr} says); off for callers that want only pixels (thumbnails)
 * @param maxChunkTokens       the most tokens in one text chunk (the model's maximum length minus special tokens)
 * @param chunkOverlapTokens   tokens shared by consecutive chunks, so a phrase cut by a boundary is whole in one of them
 * @param maxChunkChars        the most characters in one chunk whatever the token count (bounds a word-less text)
 * @param tokenCounter         the model's tokenizer, as a counter
 * @param maxTextChars         texts (and a document's text, all pages) longer than this are rejected
 * @param maxChunks            texts that need more chunks are rejected
 * @param maxOutputBytes       the most RGB bytes one decoded item may hold (all frames or all pages together): a long
 *                             video gets a longer interval, a long document lower-resolution pages, never more memory
 * @param decodeTimeout        the time budget of decoding one item (video and PDF check it as they go); OCR time is
 *                             not counted, it has its own limits in {@code ocr}
 * @param ocr                  OCR of pages without a text layer and of video frames (default: on when an engine is
 *                             installed; see {@link OcrOptions} for its limits)
 */
public record DecodeOptions(long maxImagePixels, int imageTargetShortSide, TruncatedImagePolicy truncatedImages,
                            Duration frameInterval, Duration maxVideoDuration, int maxFrames, int frameShortSide,
                            int pageDpi, long maxPagePixels, int maxPages, boolean extractPageText,
                            int maxChunkTokens, int chunkOverlapTokens, int maxChunkChars, TokenCounter tokenCounter,
                            int maxTextChars, int maxChunks, long maxOutputBytes, Duration decodeTimeout,
                            OcrOptions ocr) {

    /** What to do with an image whose compressed data stops before its end marker. */
    public enum TruncatedImagePolicy {
        /**
         * Reject as {@link RejectReason#TRUNCATED} (the default): ImageIO would return the image with its missing
         * part grey, and an embedding of half a picture is a wrong answer that looks right.
         */
        REJECT,
        /** Decode what is there and set {@link DecodedMedia.DecodedImage#truncated()}. */
        ACCEPT_FLAGGED
    }

    public DecodeOptions {
        Objects.requireNonNull(truncatedImages, "truncatedImages");
        Objects.requireNonNull(tokenCounter, "tokenCounter");
        Objects.requireNonNull(ocr, "ocr");
        positive(maxImagePixels, "maxImagePixels");
        if (imageTargetShortSide < 0) {
            throw new IllegalArgumentException("imageTargetShortSide must be >= 0, was " + imageTargetShortSide);
        }
        positive(frameInterval, "frameInterval");
        positive(maxVideoDuration, "maxVideoDuration");
        positive(decodeTimeout, "decodeTimeout");
        positive(maxFrames, "maxFrames");
        positive(frameShortSide, "frameShortSide");
        positive(pageDpi, "pageDpi");
        positive(maxPagePixels, "maxPagePixels");
        positive(maxPages, "maxPages");
        positive(maxChunkTokens, "maxChunkTokens");
        positive(maxChunkChars, "maxChunkChars");
        positive(maxTextChars, "maxTextChars");
        positive(maxChunks, "maxChunks");
        positive(maxOutputBytes, "maxOutputBytes");
        if (chunkOverlapTokens < 0 || chunkOverlapTokens >= maxChunkTokens) {
            throw new IllegalArgumentException("chunkOverlapTokens must be in [0, maxChunkTokens), was "
                    + chunkOverlapTokens + " with maxChunkTokens " + maxChunkTokens);
        }
    }

    private static void positive(long v, String name) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + v);
        }
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }

    public static DecodeOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().maxImagePixels(maxImagePixels).imageTargetShortSide(imageTargetShortSide)
                .truncatedImages(truncatedImages).frameInterval(frameInterval).maxVideoDuration(maxVideoDuration)
                .maxFrames(maxFrames).frameShortSide(frameShortSide).pageDpi(pageDpi).maxPagePixels(maxPagePixels)
                .maxPages(maxPages).extractPageText(extractPageText).maxChunkTokens(maxChunkTokens)
                .chunkOverlapTokens(chunkOverlapTokens).maxChunkChars(maxChunkChars).tokenCounter(tokenCounter)
                .maxTextChars(maxTextChars).maxChunks(maxChunks).maxOutputBytes(maxOutputBytes)
                .decodeTimeout(decodeTimeout).ocr(ocr);
    }

    public static final class Builder {
        private long maxImagePixels = 50_000_000L;
        private int imageTargetShortSide = 1024;
        private TruncatedImagePolicy truncatedImages = TruncatedImagePolicy.REJECT;
        private Duration frameInterval = Duration.ofSeconds(1);
        private Duration maxVideoDuration = Duration.ofMinutes(10);
        private int maxFrames = 600;
        private int frameShortSide = 224;
        private int pageDpi = 96;
        private long maxPagePixels = 4_000_000L;
        private int maxPages = 200;
        private boolean extractPageText = true;
        private int maxChunkTokens = 75;
        private int chunkOverlapTokens = 15;
        private int maxChunkChars = 2_000;
        private TokenCounter tokenCounter = TokenCounter.whitespace();
        private int maxTextChars = 1_000_000;
        private int maxChunks = 10_000;
        private long maxOutputBytes = 256L << 20;
        private Duration decodeTimeout = Duration.ofSeconds(60);
        private OcrOptions ocr = OcrOptions.defaults();

        private Builder() {
        }

        public Builder maxImagePixels(long v) { maxImagePixels = v; return this; }
        public Builder imageTargetShortSide(int v) { imageTargetShortSide = v; return this; }
        public Builder truncatedImages(TruncatedImagePolicy v) { truncatedImages = v; return this; }
        public Builder frameInterval(Duration v) { frameInterval = v; return this; }
        public Builder maxVideoDuration(Duration v) { maxVideoDuration = v; return this; }
        public Builder maxFrames(int v) { maxFrames = v; return this; }
        public Builder frameShortSide(int v) { frameShortSide = v; return this; }
        public Builder pageDpi(int v) { pageDpi = v; return this; }
        public Builder maxPagePixels(long v) { maxPagePixels = v; return this; }
        public Builder maxPages(int v) { maxPages = v; return this; }
        public Builder extractPageText(boolean v) { extractPageText = v; return this; }
        public Builder maxChunkTokens(int v) { maxChunkTokens = v; return this; }
        public Builder chunkOverlapTokens(int v) { chunkOverlapTokens = v; return this; }
        public Builder maxChunkChars(int v) { maxChunkChars = v; return this; }
        public Builder tokenCounter(TokenCounter v) { tokenCounter = v; return this; }
        public Builder maxTextChars(int v) { maxTextChars = v; return this; }
        public Builder maxChunks(int v) { maxChunks = v; return this; }
        public Builder maxOutputBytes(long v) { maxOutputBytes = v; return this; }
        public Builder decodeTimeout(Duration v) { decodeTimeout = v; return this; }
        public Builder ocr(OcrOptions v) { ocr = v; return this; }

        public DecodeOptions build() {
            return new DecodeOptions(maxImagePixels, imageTargetShortSide, truncatedImages, frameInterval,
                    maxVideoDuration, maxFrames, frameShortSide, pageDpi, maxPagePixels, maxPages, extractPageText,
                    maxChunkTokens, chunkOverlapTokens, maxChunkChars, tokenCounter, maxTextChars, maxChunks,
                    maxOutputBytes, decodeTimeout, ocr);
        }
    }
}
