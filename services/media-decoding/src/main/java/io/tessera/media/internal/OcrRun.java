package io.tessera.media.internal;

import io.tessera.media.DecodeOptions;
import io.tessera.media.DecodedMedia.TextOrigin;
import io.tessera.media.ocr.OcrEngine;
import io.tessera.media.ocr.OcrException;
import io.tessera.media.ocr.OcrOptions;
import io.tessera.media.ocr.OcrResult;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * The OCR of one item's pages or frames, under that item's limits: at most {@code limit} calls, all of them within
 * {@link OcrOptions#itemBudget()}, and none after {@link #MAX_FAILURES} failures (an engine that fails on one page of
 * a document tends to fail on all of them, each time after a full timeout). Whatever goes wrong becomes a
 * {@link TextOrigin} and a log line, never an exception: a picture without text is still worth indexing.
 * One instance per decode call; not thread-safe.
 */
final class OcrRun {

    static final int MAX_FAILURES = 3;
    private static final Logger LOG = OcrEngines.LOG;
    /** Languages already reported missing, so that each is logged once, not once per item. */
    private static final Set<String> MISSING_LANGUAGES_LOGGED = ConcurrentHashMap.newKeySet();

    /** The text (empty unless {@code origin} is OCR) and how long the call took, picture preparation included. */
    record Outcome(String text, TextOrigin origin, long nanos) {
    }

    /** Produces the picture to read; may throw, which counts as a failed call. */
    @FunctionalInterface
    interface Picture {
        BufferedImage get() throws IOException;
    }

    private static final OcrRun OFF = new OcrRun(OcrOptions.disabled(), false, 0, "", "");

    private final OcrOptions options;
    private final boolean active;
    private final int limit;
    private final String item;
    private final String unit;
    private int calls;
    private int failures;
    private long spentNanos;
    private boolean stopLogged;

    private OcrRun(OcrOptions options, boolean active, int limit, String item, String unit) {
        this.options = options;
        this.active = active;
        this.limit = limit;
        this.item = item;
        this.unit = unit;
    }

    static OcrRun forPages(DecodeOptions options, String item) {
        return create(options, options.ocr().maxPages(), item, "pages");
    }

    static OcrRun forFrames(DecodeOptions options, String item) {
        return create(options, options.ocr().maxFrames(), item, "frames");
    }

    private static OcrRun create(DecodeOptions decode, int limit, String item, String unit) {
        OcrOptions o = decode.ocr();
        if (!decode.extractPageText() || !o.enabled() || limit <= 0 || !o.engine().available()
                || !hasLanguage(o.engine(), o.language())) {
            return OFF;
        }
        return new OcrRun(o, true, limit, item, unit);
    }

    private static boolean hasLanguage(OcrEngine engine, String language) {
        Set<String> installed = engine.languages();
        if (installed.isEmpty()) {
            return true; // the engine does not say: let the call find out
        }
        for (String code : language.split("\\+")) {
            if (!installed.contains(code)) {
                if (MISSING_LANGUAGES_LOGGED.add(engine.name() + "/" + code)) {
                    LOG.warn("OCR is off for language '{}': {} has data for {} only (Debian:"
                            + " apt-get install tesseract-ocr-{})", code, engine.name(), installed, code);
                }
                return false;
            }
        }
        return true;
    }

    /** Whether OCR runs at all for this item (engine, options, language). */
    boolean active() {
        return active;
    }

    /**
     * Whether another call would run now: not past the count limit, the time budget or the failure limit, and the
     * thread not interrupted (shutting down: every further call would fail at once).
     */
    boolean hasQuota() {
        return active && calls < limit && spentNanos < options.itemBudget().toNanos() && failures < MAX_FAILURES
                && !Thread.currentThread().isInterrupted();
    }

    OcrOptions options() {
        return options;
    }

    /** Reads one picture; {@code where} names it in log lines ("page 3", "frame at 12000 ms"). */
    Outcome recognize(Picture picture, int dpi, String where) {
        if (!active) {
            return new Outcome("", TextOrigin.NONE, 0);
        }
        if (!hasQuota()) {
            logStop();
            return new Outcome("", TextOrigin.OCR_SKIPPED, 0);
        }
        calls++;
        long start = System.nanoTime();
        long budgetLeft = options.itemBudget().toNanos() - spentNanos;
        java.time.Duration timeout = options.timeout().toNanos() <= budgetLeft ? options.timeout()
                : java.time.Duration.ofNanos(Math.max(1, budgetLeft));
        try {
            OcrResult result = options.engine().recognize(picture.get(), options.request(dpi).withTimeout(timeout));
            String text = result.text(options.minWordConfidence());
            long nanos = spent(start);
            LOG.debug("{}: OCR of {} ({}x{}) took {} ms, {} words, mean confidence {}", item, where, result.width(),
                    result.height(), nanos / 1_000_000, result.words().size(), Math.round(result.meanConfidence()));
            if (letterOrDigitCount(text) < options.minTextChars()) {
                return new Outcome("", TextOrigin.OCR_EMPTY, nanos);
            }
            return new Outcome(text, TextOrigin.OCR, nanos);
        } catch (OcrException e) {
            failures++;
            long nanos = spent(start);
            if (e.kind() == OcrException.Kind.TIMEOUT) {
                LOG.warn("{}: OCR of {} timed out after {} ms; it keeps no text", item, where, timeout.toMillis());
                return new Outcome("", TextOrigin.OCR_TIMED_OUT, nanos);
            }
            LOG.warn("{}: OCR of {} failed; it keeps no text: {}", item, where, e.getMessage());
            return new Outcome("", TextOrigin.OCR_FAILED, nanos);
        } catch (IOException | RuntimeException e) {
            // Preparing the picture (re-rendering a page) failed, or the engine broke its contract.
            failures++;
            LOG.warn("{}: OCR of {} failed; it keeps no text", item, where, e);
            return new Outcome("", TextOrigin.OCR_FAILED, spent(start));
        }
    }

    private long spent(long start) {
        long nanos = System.nanoTime() - start;
        spentNanos += nanos;
        return nanos;
    }

    private void logStop() {
        if (stopLogged) {
            return;
        }
        stopLogged = true;
        String why = Thread.currentThread().isInterrupted() ? "the decoding thread was interrupted"
                : failures >= MAX_FAILURES ? MAX_FAILURES + " OCR calls failed"
                : calls >= limit ? "the limit of " + limit + " " + unit + " OCR'd per item was reached"
                : "the item's OCR time budget of " + options.itemBudget().toSeconds() + " s is spent";
        LOG.info("{}: no OCR for the remaining {}: {}", item, unit, why);
    }

    static int letterOrDigitCount(String text) {
        return (int) text.codePoints().filter(Character::isLetterOrDigit).count();
    }

    /** Characters other than whitespace: how much text a text layer really has. */
    static int nonSpaceCount(String text) {
        return (int) text.codePoints().filter(c -> !Character.isWhitespace(c)).count();
    }
}
