package io.tessera.media.internal;

import io.tessera.media.DecodeOptions;
import io.tessera.media.DecodedMedia;
import io.tessera.media.DecodedMedia.TextOrigin;
import io.tessera.media.FetchedContent;
import io.tessera.media.MediaRejectedException;
import io.tessera.media.RejectReason;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.slf4j.Logger;

/**
 * PDF pages through PDFBox: each page rendered at the configured DPI unless that exceeds the pixel cap (a huge
 * MediaBox would otherwise render a gigabyte image), plus the page's text layer. A page with (next to) no text layer,
 * a scan or a slide saved as a picture, is rendered once more in grey at the OCR resolution and read by OCR; the
 * embedding keeps the normal rendering (OCR wants ~300 DPI, the image tower a few hundred pixels).
 */
public final class PdfDecoding {

    /** Scratch memory PDFBox may use for decoded streams while parsing, beyond the file itself. */
    private static final long SCRATCH_BYTES = 64L << 20;

    static {
        // PDFBox scans system fonts once for non-embedded fonts and caches the result; keep that cache with ours.
        if (System.getProperty("pdfbox.fontcache") == null) {
            java.nio.file.Path dir = CacheDirs.base().resolve("pdfbox");
            try {
                java.nio.file.Files.createDirectories(dir);
            } catch (IOException | SecurityException e) {
                // PDFBox then rescans fonts per process instead of reading its cache: slower, not wrong
            }
            System.setProperty("pdfbox.fontcache", dir.toString());
        }
    }

    private static final Logger LOG = OcrEngines.LOG;

    private PdfDecoding() {
    }

    public static DecodedMedia.DecodedDocument decode(FetchedContent content, DecodeOptions options)
            throws MediaRejectedException {
        byte[] bytes = content.bytes();
        if (!hasPdfHeader(bytes)) {
            // Checked before parsing: PDFBox's lenient parser would otherwise scan random bytes for objects.
            throw new MediaRejectedException(RejectReason.UNSUPPORTED_FORMAT, content.origin()
                    + " is not a PDF (no %PDF- header in its first 1024 bytes)");
        }
        long deadline = System.nanoTime() + options.decodeTimeout().toNanos();
        try (PDDocument doc = Loader.loadPDF(bytes, "", null, null,
                MemoryUsageSetting.setupMainMemoryOnly(SCRATCH_BYTES).streamCache)) {
            int pageCount = doc.getNumberOfPages();
            if (pageCount == 0) {
                throw new MediaRejectedException(RejectReason.EMPTY, content.origin() + " has no pages");
            }
            if (pageCount > options.maxPages()) {
                throw new MediaRejectedException(RejectReason.PAGE_LIMIT, content.origin() + " has " + pageCount
                        + " pages, more than the limit of " + options.maxPages());
            }
            long pagePixels = Math.min(options.maxPagePixels(), options.maxOutputBytes() / 3 / pageCount);
            PDFRenderer renderer = new PDFRenderer(doc);
            renderer.setSubsamplingAllowed(true); // embedded photos far larger than the page render: read fewer pixels
            PDFTextStripper stripper = options.extractPageText() ? new PDFTextStripper() : null;
            OcrRun ocr = OcrRun.forPages(options, content.origin());
            List<DecodedMedia.DocumentPage> pages = new ArrayList<>(pageCount);
            long textChars = 0;
            for (int i = 0; i < pageCount; i++) {
                if (System.nanoTime() - deadline > 0) {
                    throw new MediaRejectedException(RejectReason.DECODE_TIMEOUT, content.origin() + ": rendering "
                            + pageCount + " pages took longer than " + options.decodeTimeout().toMillis()
                            + " ms (stopped at page " + (i + 1) + ")");
                }
                PDRectangle box = doc.getPage(i).getCropBox();
                float scale = scale(box.getWidth(), box.getHeight(), options.pageDpi(), pagePixels);
                if (scale <= 0) {
                    throw new MediaRejectedException(RejectReason.CORRUPT_DOCUMENT, content.origin() + ": page "
                            + (i + 1) + " has an empty crop box " + box);
                }
                BufferedImage image = renderer.renderImage(i, scale, ImageType.RGB);
                String text = "";
                TextOrigin origin = TextOrigin.NONE;
                if (stripper != null) {
                    stripper.setStartPage(i + 1);
                    stripper.setEndPage(i + 1);
                    text = stripper.getText(doc).strip();
                    origin = text.isEmpty() ? TextOrigin.NONE : TextOrigin.TEXT_LAYER;
                    textChars += text.length();
                    if (textChars > options.maxTextChars()) {
                        throw new MediaRejectedException(RejectReason.TEXT_LIMIT, content.origin() + ": the text of"
                                + " pages 1-" + (i + 1) + " exceeds the limit of " + options.maxTextChars()
                                + " characters");
                    }
                }
                if (ocr.active() && OcrRun.nonSpaceCount(text) < ocr.options().minPageTextChars()) {
                    OcrRun.Outcome read = ocrPage(renderer, ocr, i, box);
                    deadline += read.nanos(); // OCR has its own limits; decodeTimeout stays about the PDF itself
                    if (read.origin() == TextOrigin.OCR && textChars - text.length() + read.text().length()
                            <= options.maxTextChars()) {
                        textChars += read.text().length() - text.length();
                        text = read.text();
                        origin = TextOrigin.OCR;
                    } else if (read.origin() == TextOrigin.OCR) {
                        // OCR output must not get a document rejected that was fine without it.
                        LOG.info("{}: the OCR text of page {} is dropped: it would take the document past {}"
                                + " characters", content.origin(), i + 1, options.maxTextChars());
                    } else if (text.isEmpty()) {
                        origin = read.origin();
                    }
                }
                pages.add(new DecodedMedia.DocumentPage(i, i + 1, Pixels.toRgb(image), scale * 72f, text, origin));
            }
            return new DecodedMedia.DecodedDocument(new DecodedMedia.ContentInfo(bytes.length, content.sha256()),
                    pages);
        } catch (InvalidPasswordException e) {
            throw new MediaRejectedException(RejectReason.ENCRYPTED, content.origin()
                    + " is encrypted with a password; publish an unencrypted copy", e);
        } catch (IOException | RuntimeException e) {
            throw new MediaRejectedException(RejectReason.CORRUPT_DOCUMENT, content.origin()
                    + ": the PDF cannot be read: " + ImageDecoding.describe(e), e);
        }
    }

    /** Renders page {@code i} in grey at the OCR resolution (capped by the OCR pixel limit) and reads it. */
    private static OcrRun.Outcome ocrPage(PDFRenderer renderer, OcrRun ocr, int i, PDRectangle box) {
        float scale = scale(box.getWidth(), box.getHeight(), ocr.options().pageDpi(), ocr.options().maxPixels());
        return ocr.recognize(() -> renderer.renderImage(i, scale, ImageType.GRAY), Math.round(scale * 72f),
                "page " + (i + 1));
    }

    /** Points to pixels: dpi/72, lowered so that the page has at most maxPixels; 0 for a degenerate box. */
    static float scale(float widthPt, float heightPt, int dpi, long maxPixels) {
        if (!(widthPt >= 1) || !(heightPt >= 1)) {
            return 0;
        }
        double scale = dpi / 72.0;
        double pixels = widthPt * scale * heightPt * scale;
        if (pixels > maxPixels) {
            scale = Math.sqrt(maxPixels / ((double) widthPt * heightPt));
        }
        return (float) scale;
    }

    static boolean hasPdfHeader(byte[] bytes) {
        int limit = Math.min(bytes.length, 1024);
        String head = new String(bytes, 0, limit, StandardCharsets.ISO_8859_1);
        return head.contains("%PDF-");
    }
}
