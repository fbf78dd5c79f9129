package io.tessera.media.internal;

import io.tessera.media.ocr.OcrEngine;
import io.tessera.media.ocr.OcrException;
import io.tessera.media.ocr.OcrRequest;
import io.tessera.media.ocr.OcrResult;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finding the OCR engine of this machine (once per JVM, logged once) and the engine that reads nothing. */
public final class OcrEngines {

    static final Logger LOG = LoggerFactory.getLogger("io.tessera.media.ocr");

    private static final OcrEngine SYSTEM = new Detected();
    private static volatile OcrEngine detected;

    private OcrEngines() {
    }

    public static OcrEngine system() {
        return SYSTEM;
    }

    public static OcrEngine none(String reason) {
        return new None(reason);
    }

    public static OcrEngine tesseract(Path binary) throws OcrException {
        return TesseractEngine.probe(binary);
    }

    private static OcrEngine detected() {
        OcrEngine engine = detected;
        if (engine == null) {
            synchronized (OcrEngines.class) {
                engine = detected;
                if (engine == null) {
                    engine = detect();
                    detected = engine;
                }
            }
        }
        return engine;
    }

    private static OcrEngine detect() {
        String mode = setting("tessera.ocr.engine", "TESSERA_OCR_ENGINE");
        if (mode != null && !mode.isBlank()) {
            String m = mode.strip().toLowerCase(Locale.ROOT);
            if (m.equals("none") || m.equals("off")) {
                return off("turned off (tessera.ocr.engine / TESSERA_OCR_ENGINE=" + mode.strip() + ")");
            }
            if (!m.equals("auto") && !m.equals("tesseract")) {
                LOG.warn("OCR: unknown engine '{}' in tessera.ocr.engine / TESSERA_OCR_ENGINE"
                        + " (auto, tesseract or none); looking for tesseract", mode);
            }
        }
        Path binary;
        String configured = setting("tessera.ocr.tesseract", "TESSERA_TESSERACT");
        if (configured != null && !configured.isBlank()) {
            try {
                binary = Path.of(configured.strip());
            } catch (InvalidPathException e) {
                return off("tessera.ocr.tesseract / TESSERA_TESSERACT is not a path: " + configured);
            }
        } else {
            binary = onPath("tesseract");
            if (binary == null) {
                return off("no tesseract command on PATH; install it (Debian: apt-get install tesseract-ocr"
                        + " tesseract-ocr-eng) to read scanned pages and text in video frames");
            }
        }
        try {
            TesseractEngine engine = TesseractEngine.probe(binary);
            LOG.info("OCR: {} at {}, languages {}: pages without a text layer and sampled video"
                    + " frames are read", engine.name(), binary, engine.languages());
            return engine;
        } catch (OcrException e) {
            return off(e.getMessage());
        }
    }

    private static OcrEngine off(String reason) {
        LOG.warn("OCR is off: {}. Pages without a text layer and video frames are indexed by their"
                + " picture alone", reason);
        return new None(reason);
    }

    private static String setting(String property, String env) {
        String v = System.getProperty(property);
        return v != null ? v : System.getenv(env);
    }

    private static Path onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            try {
                Path candidate = Path.of(dir, command);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            } catch (InvalidPathException e) {
                // a malformed PATH entry: skip it
            }
        }
        return null;
    }

    /** Resolves the machine's engine on first use, so that building options never starts a process. */
    private static final class Detected implements OcrEngine {
        @Override
        public String name() {
            return detected().name();
        }

        @Override
        public boolean available() {
            return detected().available();
        }

        @Override
        public Set<String> languages() {
            return detected().languages();
        }

        @Override
        public OcrResult recognize(BufferedImage image, OcrRequest request) throws OcrException {
            return detected().recognize(image, request);
        }

        @Override
        public String toString() {
            return "system OCR engine";
        }
    }

    private record None(String reason) implements OcrEngine {
        @Override
        public String name() {
            return "none";
        }

        @Override
        public boolean available() {
            return false;
        }

        @Override
        public Set<String> languages() {
            return Set.of();
        }

        @Override
        public OcrResult recognize(BufferedImage image, OcrRequest request) throws OcrException {
            throw new OcrException(OcrException.Kind.UNAVAILABLE, "no OCR engine: " + reason);
        }

        @Override
        public String toString() {
            return "none (" + reason + ")";
        }
    }
}
