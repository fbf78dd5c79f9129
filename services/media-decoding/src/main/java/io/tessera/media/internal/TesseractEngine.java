package io.tessera.media.internal;

import io.tessera.media.ocr.OcrEngine;
import io.tessera.media.ocr.OcrException;
import io.tessera.media.ocr.OcrRequest;
import io.tessera.media.ocr.OcrResult;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The {@code tesseract} command as a subprocess, one per picture: {@code tesseract stdin stdout -l LANG --psm 3 tsv}
 * with the picture piped in as a binary PGM (8-bit grey; Leptonica reads it without a codec, and nothing touches the
 * disk). A process per call costs ~0.1 s of start-up (loading the language model) but keeps a crash or a hang in
 * the engine out of the JVM, and a timeout is a plain kill.
 *
 * <p>{@code OMP_THREAD_LIMIT=1}: Debian's build uses OpenMP, which would start a thread per core in every process;
 * the indexers already decode on several threads, and Tesseract's own docs advise one thread per process when
 * running several.
 */
final class TesseractEngine implements OcrEngine {

    /** TSV of a dense page is a few hundred KB; far more means something is wrong, not more text. */
    static final int MAX_OUTPUT_BYTES = 4 << 20;
    private static final int MAX_STDERR_BYTES = 8 << 10;
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);
    /** Readers of a killed process end at EOF at once; this only guards against a descendant holding the pipes. */
    private static final long DRAIN_MILLIS = 2_000;

    private final Path binary;
    private final String version;
    private final Set<String> languages;

    private TesseractEngine(Path binary, String version, Set<String> languages) {
        this.binary = binary;
        this.version = version;
        this.languages = Collections.unmodifiableSet(new TreeSet<>(languages)); // sorted, for stable log lines
    }

    /** Runs {@code --version} and {@code --list-langs} once, so that a broken install is found at start. */
    static TesseractEngine probe(Path binary) throws OcrException {
        String versionOut;
        String langsOut;
        try {
            versionOut = utf8(exec(List.of(binary.toString(), "--version"), null, PROBE_TIMEOUT, 1 << 16));
            langsOut = utf8(exec(List.of(binary.toString(), "--list-langs"), null, PROBE_TIMEOUT, 1 << 16));
        } catch (OcrException e) {
            throw new OcrException(OcrException.Kind.UNAVAILABLE, binary + " does not run: " + e.getMessage(), e);
        }
        String version = versionOut.lines().findFirst().orElse("tesseract").strip();
        Set<String> languages = new TreeSet<>();
        langsOut.lines().skip(1).map(String::strip).filter(l -> !l.isEmpty()).forEach(languages::add);
        return new TesseractEngine(binary, version.isEmpty() ? "tesseract" : version, languages);
    }

    @Override
    public String name() {
        return version;
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public Set<String> languages() {
        return languages;
    }

    Path binary() {
        return binary;
    }

    @Override
    public OcrResult recognize(BufferedImage image, OcrRequest request) throws OcrException {
        long start = System.nanoTime();
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] gray = Pixels.gray(image);
        int[] size = Pixels.fit(w, h, request.maxPixels());
        int dpi = request.dpi();
        if (size[0] != w || size[1] != h) {
            gray = Pixels.downscale(gray, w, h, 1, size[0], size[1]);
            dpi = (int) Math.round(dpi * (double) size[0] / w);
        }
        List<String> command = new ArrayList<>(List.of(binary.toString(), "stdin", "stdout",
                "-l", request.language(), "--psm", "3"));
        if (dpi > 0) {
            // Without it Tesseract guesses the resolution from character heights and says so on stderr.
            command.addAll(List.of("--dpi", Integer.toString(dpi)));
        }
        command.add("tsv");
        byte[] tsv = exec(command, pgm(gray, size[0], size[1]), request.timeout(), MAX_OUTPUT_BYTES);
        return new OcrResult(TesseractTsv.parse(utf8(tsv)), size[0], size[1],
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** Binary PGM (P5): a text header and the grey bytes. */
    static byte[] pgm(byte[] gray, int w, int h) {
        byte[] header = ("P5\n" + w + " " + h + "\n255\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[header.length + gray.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(gray, 0, out, header.length, gray.length);
        return out;
    }

    /**
     * Runs a command with {@code input} on its stdin (none: stdin closed at once) and returns its stdout. Pipes are
     * served by their own threads so that neither side can block the other; the calling thread only waits.
     */
    static byte[] exec(List<String> command, byte[] input, Duration timeout, int maxOutput) throws OcrException {
        String what = Path.of(command.get(0)).getFileName()
                + (command.size() > 1 && command.get(1).startsWith("--") ? " " + command.get(1) : "");
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("OMP_THREAD_LIMIT", "1");
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new OcrException(OcrException.Kind.FAILED, "cannot start " + command.get(0) + ": " + e.getMessage(),
                    e);
        }
        Capture out = new Capture(maxOutput, true);
        Capture err = new Capture(MAX_STDERR_BYTES, false);
        Thread writer = Thread.ofVirtual().start(() -> {
            try (OutputStream stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input);
                }
            } catch (IOException e) {
                // The process exited without reading all of it; its exit status and stderr say why.
            }
        });
        Thread outReader = Thread.ofVirtual().start(() -> out.drain(process.getInputStream(), process));
        Thread errReader = Thread.ofVirtual().start(() -> err.drain(process.getErrorStream(), process));
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly();
                throw new OcrException(OcrException.Kind.TIMEOUT, what + " took longer than " + timeout.toMillis()
                        + " ms and was stopped");
            }
            writer.join(DRAIN_MILLIS);
            outReader.join(DRAIN_MILLIS);
            errReader.join(DRAIN_MILLIS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new OcrException(OcrException.Kind.FAILED, what + " was interrupted", e);
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
        if (out.overflowed) {
            throw new OcrException(OcrException.Kind.FAILED, what + " wrote more than " + maxOutput
                    + " bytes of output; ignored");
        }
        if (process.exitValue() != 0) {
            String stderr = utf8(err.bytes()).strip();
            throw new OcrException(OcrException.Kind.FAILED, what + " exited with status " + process.exitValue()
                    + (stderr.isEmpty() ? "" : ": " + stderr.replace('\n', ' ')));
        }
        return out.bytes();
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Reads a pipe to its end, keeping at most {@code cap} bytes; past it, kills the process or drops the rest. */
    private static final class Capture {
        private final int cap;
        private final boolean killOnOverflow;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private volatile boolean overflowed;

        Capture(int cap, boolean killOnOverflow) {
            this.cap = cap;
            this.killOnOverflow = killOnOverflow;
        }

        void drain(InputStream in, Process process) {
            byte[] chunk = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    synchronized (buffer) {
                        int room = cap - buffer.size();
                        if (n > room) {
                            overflowed = true;
                            buffer.write(chunk, 0, Math.max(0, room));
                            if (killOnOverflow) {
                                process.destroyForcibly();
                                return;
                            }
                        } else {
                            buffer.write(chunk, 0, n);
                        }
                    }
                }
            } catch (IOException e) {
                // The pipe closed under us (the process was killed): what was read is all there is.
            }
        }

        byte[] bytes() {
            synchronized (buffer) {
                return buffer.toByteArray();
            }
        }
    }

    @Override
    public String toString() {
        return version + " (" + binary + ")";
    }
}
