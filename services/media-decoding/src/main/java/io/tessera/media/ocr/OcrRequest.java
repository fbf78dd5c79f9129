package io.tessera.media.ocr;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to read one picture.
 *
 * @param language  Tesseract language codes, several joined by {@code +} ({@code eng}, {@code eng+deu})
 * @param timeout   the engine is stopped after this long and the call fails with {@link OcrException.Kind#TIMEOUT}
 * @param maxPixels a larger picture is downscaled (aspect ratio kept) to at most this many pixels before OCR: time
 *                  and memory grow with pixels, and text legible at 4 MP gains nothing from more
 * @param dpi       the picture's resolution when known (a rendered page), else 0 and the engine estimates it
 */
public record OcrRequest(String language, Duration timeout, long maxPixels, int dpi) {

    /** Codes as Tesseract names its traineddata files; also keeps option-like strings off its command line. */
    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z0-9_]+(\\+[A-Za-z0-9_]+)*");

    public OcrRequest {
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(timeout, "timeout");
        if (!LANGUAGE.matcher(language).matches()) {
            throw new IllegalArgumentException("language must be Tesseract codes joined by '+' (eng, eng+deu), was '"
                    + language + "'");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive, was " + maxPixels);
        }
        if (dpi < 0) {
            throw new IllegalArgumentException("dpi must be >= 0, was " + dpi);
        }
    }

    /** English, 10 s, 4 MP, resolution unknown. */
    public static OcrRequest defaults() {
        return new OcrRequest("eng", Duration.ofSeconds(10), 4_000_000L, 0);
    }

    public OcrRequest withTimeout(Duration t) {
        return new OcrRequest(language, t, maxPixels, dpi);
    }

    public OcrRequest withMaxPixels(long p) {
        return new OcrRequest(language, timeout, p, dpi);
    }

    public OcrRequest withDpi(int d) {
        return new OcrRequest(language, timeout, maxPixels, d);
    }
}
