package io.tessera.media.ocr;

import java.util.Objects;

/** An OCR call that gave no result. Decoding catches it: a page or frame then simply has no OCR text. */
public final class OcrException extends Exception {

    public enum Kind {
        /** The engine ran longer than {@link OcrRequest#timeout()} and was stopped. */
        TIMEOUT,
        /** The engine failed (exit status, unreadable output, output over the size cap, I/O error). */
        FAILED,
        /** There is no engine, or not for the requested language. */
        UNAVAILABLE
    }

    private final Kind kind;

    public OcrException(Kind kind, String message) {
        this(kind, message, null);
    }

    public OcrException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
