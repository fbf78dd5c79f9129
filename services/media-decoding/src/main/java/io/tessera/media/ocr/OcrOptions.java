package io.tessera.media.ocr;

import java.time.Duration;
import java.util.Objects;

/**
 * When and how decoding runs OCR, part of {@link io.tessera.media.DecodeOptions}. OCR gives text to what has none:
 * a document page without a text layer (a scan, a slide exported as pictures) and video frames (captions, titles,
 * slides in a recorded talk). That text then goes where a page's text layer goes
 * ({@link io.tessera.media.DecodedMedia.DocumentPage#text()}, {@link io.tessera.media.DecodedMedia.VideoFrame#text()}).
 * A failed or timed-out OCR call never fails the item: the page or frame keeps its picture and has no text.
 *
 * <p>OCR runs only when {@link io.tessera.media.DecodeOptions#extractPageText()} is on (callers that want only
 * pixels, such as thumbnails, turn that off) and {@code enabled} is true and the engine is
 * {@link OcrEngine#available() available}. OCR time is not counted against
 * {@link io.tessera.media.DecodeOptions#decodeTimeout()}: it has its own limits here.
 *
 * @param enabled           on by default; it has an effect only when the engine is available
 * @param engine            default {@link OcrEngine#system()} (Tesseract when installed, else none)
 * @param language          Tesseract language codes, several joined by {@code +}; default {@code eng}
 * @param maxPages          the most pages OCR'd per document (default 50); later pages keep only their picture
 * @param maxFrames         the most frames OCR'd per video (default 8), spread evenly over the sampled frames
 * @param maxPixels         the most pixels one OCR call reads (default 4 MP, e.g. a Letter page at ~200 DPI or a
 *                          2560x1440 frame); larger pictures are downscaled first
 * @param timeout           per OCR call (default 10 s); the engine is stopped after it
 * @param itemBudget        all OCR of one item together (default 3 min): later pages or frames are not OCR'd
 * @param pageDpi           a page to OCR is rendered again at this resolution (default 300, Tesseract's best),
 *                          lowered to fit {@code maxPixels}
 * @param minPageTextChars  a page whose text layer has fewer non-space characters than this is OCR'd (default 20:
 *                          a scanned page often carries only a page number or a stamp as text)
 * @param minWordConfidence words the engine is less sure of (0-100) are dropped (default 50): on photos and video it
 *                          reads textures as short, low-confidence "words"
 * @param minTextChars      OCR text with fewer letters and digits than this, after that filter, is dropped
 *                          (default 4), so a frame without text gets no text rather than noise
 */
public record OcrOptions(boolean enabled, OcrEngine engine, String language, int maxPages, int maxFrames,
                         long maxPixels, Duration timeout, Duration itemBudget, int pageDpi, int minPageTextChars,
                         double minWordConfidence, int minTextChars) {

    public OcrOptions {
        Objects.requireNonNull(engine, "engine");
        // Validates the language, timeout and pixel cap the same way a request does.
        new OcrRequest(language, timeout, maxPixels, 0);
        Objects.requireNonNull(itemBudget, "itemBudget");
        if (itemBudget.isNegative() || itemBudget.isZero()) {
            throw new IllegalArgumentException("itemBudget must be positive, was " + itemBudget);
        }
        if (maxPages < 0 || maxFrames < 0) {
            throw new IllegalArgumentException("maxPages and maxFrames must be >= 0, were " + maxPages + " and "
                    + maxFrames);
        }
        if (pageDpi <= 0) {
            throw new IllegalArgumentException("pageDpi must be positive, was " + pageDpi);
        }
        if (minPageTextChars < 0 || minTextChars < 0) {
            throw new IllegalArgumentException("minPageTextChars and minTextChars must be >= 0, were "
                    + minPageTextChars + " and " + minTextChars);
        }
        if (!(minWordConfidence >= 0 && minWordConfidence <= 100)) {
            throw new IllegalArgumentException("minWordConfidence must be in [0, 100], was " + minWordConfidence);
        }
    }

    public static OcrOptions defaults() {
        return builder().build();
    }

    /** The defaults with OCR turned off. */
    public static OcrOptions disabled() {
        return builder().enabled(false).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().enabled(enabled).engine(engine).language(language).maxPages(maxPages)
                .maxFrames(maxFrames).maxPixels(maxPixels).timeout(timeout).itemBudget(itemBudget).pageDpi(pageDpi)
                .minPageTextChars(minPageTextChars).minWordConfidence(minWordConfidence).minTextChars(minTextChars);
    }

    /** One OCR call's request under these options (resolution 0 = unknown). */
    public OcrRequest request(int dpi) {
        return new OcrRequest(language, timeout, maxPixels, dpi);
    }

    public static final class Builder {
        private boolean enabled = true;
        private OcrEngine engine = OcrEngine.system();
        private String language = "eng";
        private int maxPages = 50;
        // Eight frames spread over a video catch a caption or slide that stays a few seconds, at ~0.1-0.3 s of CPU
        // each (tesseract, 2 cores); twenty made video indexing several times slower for videos without text.
        private int maxFrames = 8;
        private long maxPixels = 4_000_000L;
        private Duration timeout = Duration.ofSeconds(10);
        private Duration itemBudget = Duration.ofMinutes(3);
        private int pageDpi = 300;
        private int minPageTextChars = 20;
        private double minWordConfidence = 50;
        private int minTextChars = 4;

        private Builder() {
        }

        public Builder enabled(boolean v) { enabled = v; return this; }
        public Builder engine(OcrEngine v) { engine = v; return this; }
        public Builder language(String v) { language = v; return this; }
        public Builder maxPages(int v) { maxPages = v; return this; }
        public Builder maxFrames(int v) { maxFrames = v; return this; }
        public Builder maxPixels(long v) { maxPixels = v; return this; }
        public Builder timeout(Duration v) { timeout = v; return this; }
        public Builder itemBudget(Duration v) { itemBudget = v; return this; }
        public Builder pageDpi(int v) { pageDpi = v; return this; }
        public Builder minPageTextChars(int v) { minPageTextChars = v; return this; }
        public Builder minWordConfidence(double v) { minWordConfidence = v; return this; }
        public Builder minTextChars(int v) { minTextChars = v; return this; }

        public OcrOptions build() {
            return new OcrOptions(enabled, engine, language, maxPages, maxFrames, maxPixels, timeout, itemBudget,
                    pageDpi, minPageTextChars, minWordConfidence, minTextChars);
        }
    }
}
