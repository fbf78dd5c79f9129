package io.tessera.media.ocr;

import io.tessera.media.RgbImage;
import io.tessera.media.internal.OcrEngines;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Set;

/**
 * Reads the text in a picture: a scanned page, a slide, a video frame with a caption burnt in.
 *
 * <p>{@link #system()} is what decoding uses by default: Tesseract when its command is installed (Debian:
 * {@code apt-get install tesseract-ocr tesseract-ocr-eng}), otherwise {@link #none}, with one log line either way.
 * Implementations are thread-safe; one call reads one picture.
 */
public interface OcrEngine {

    /** What reads, for logs: {@code tesseract 5.3.0}, or {@code none}. */
    String name();

    /** False for {@link #none}: decoding then skips OCR instead of calling {@link #recognize}. */
    boolean available();

    /** Languages the engine has data for ({@code eng}, {@code osd}, ...); empty when none or unknown. */
    Set<String> languages();

    /**
     * Reads one picture (any {@link BufferedImage} type; it is read as 8-bit grey).
     *
     * @throws OcrException on timeout, engine failure, or when there is no engine
     */
    OcrResult recognize(BufferedImage image, OcrRequest request) throws OcrException;

    default OcrResult recognize(RgbImage image, OcrRequest request) throws OcrException {
        return recognize(image.toBufferedImage(), request);
    }

    /**
     * The engine installed on this machine, found on first use (not when options are built) and then kept for the
     * JVM's life: the {@code tesseract} command given by the system property {@code tessera.ocr.tesseract} or the
     * environment variable {@code TESSERA_TESSERACT}, else the first on {@code PATH}. The property
     * {@code tessera.ocr.engine} / variable {@code TESSERA_OCR_ENGINE} set to {@code none} turns OCR off for the
     * whole process. Logged once: which engine, or why there is none.
     */
    static OcrEngine system() {
        return OcrEngines.system();
    }

    /** An engine that reads nothing: {@link #available()} is false and {@link #recognize} throws. */
    static OcrEngine none(String reason) {
        return OcrEngines.none(reason);
    }

    /**
     * The Tesseract command at {@code binary}, checked by running it once ({@code --version}, {@code --list-langs}).
     *
     * @throws OcrException ({@link OcrException.Kind#UNAVAILABLE}) when it does not run
     */
    static OcrEngine tesseract(Path binary) throws OcrException {
        return OcrEngines.tesseract(binary);
    }
}
