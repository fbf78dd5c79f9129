package io.tessera.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.media.DecodedMedia.TextOrigin;
import io.tessera.media.ocr.OcrEngine;
import io.tessera.media.ocr.OcrException;
import io.tessera.media.ocr.OcrOptions;
import io.tessera.media.ocr.OcrRequest;
import io.tessera.media.ocr.OcrResult;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real reading with the machine's engine (Tesseract). Skipped, loudly, where none is installed; CI installs it
 * ({@code .ci/run}), so there it always runs.
 */
class TesseractOcrTest {

    private static final MediaDecoder DECODER = new MediaDecoder(FetchConfig.defaults());
    private static final List<String> SCANNED_LINES = List.of(
            "The lighthouse keeper walked down to the harbour",
            "every evening to watch the fishing boats return.",
            "Glaciers carved the valley long before the village.");

    private static OcrEngine engine;

    private static boolean usable;

    @BeforeAll
    static void findEngine() {
        engine = OcrEngine.system();
        usable = engine.available() && engine.languages().contains("eng");
        if (!usable) {
            String line = "!".repeat(100);
            System.err.println(line);
            System.err.println("!!! SKIPPING the OCR tests with a real engine: no usable tesseract here ("
                    + engine.name() + ", languages " + engine.languages() + ").");
            System.err.println("!!!   Install it: apt-get install tesseract-ocr tesseract-ocr-eng (.ci/run does).");
            System.err.println(line);
        }
    }

    /** Per test, so that each one is reported as skipped. */
    @BeforeEach
    void requireEngine() {
        Assumptions.assumeTrue(usable, "tesseract with English data is not installed (see the message above)");
    }

    @AfterAll
    static void close() {
        DECODER.close();
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static DecodedMedia.DecodedDocument document(byte[] pdf, DecodeOptions options) throws MediaException {
        return (DecodedMedia.DecodedDocument) DECODER.decode(MediaSource.bytes(pdf), Modality.DOCUMENT, options);
    }

    @Test
    void scannedPageWithoutTextLayerIsRead() throws Exception {
        byte[] pdf = TestMedia.scannedPdf(List.of(SCANNED_LINES), PDRectangle.LETTER, 150);

        long start = System.nanoTime();
        DecodedMedia.DocumentPage page = document(pdf, DecodeOptions.defaults()).pages().get(0);
        long ms = (System.nanoTime() - start) / 1_000_000;

        assertEquals(TextOrigin.OCR, page.textOrigin(), page.text());
        String text = lower(page.text());
        for (String word : List.of("lighthouse", "keeper", "harbour", "fishing", "glaciers", "valley", "village")) {
            assertTrue(text.contains(word), () -> "'" + word + "' not in: " + page.text());
        }
        // the embedding still gets the 96 DPI rendering
        assertEquals(816, page.image().width());
        System.out.println("ocr: a Letter page scanned at 150 DPI, decoded with OCR (rendered at "
                + "300 DPI capped to 4 MP) in " + ms + " ms; text: " + page.text().replace('\n', '|'));
    }

    @Test
    void onlyThePageWithoutTextLayerIsOcrd() throws Exception {
        byte[] scanned = TestMedia.scannedPdf(List.of(SCANNED_LINES), PDRectangle.LETTER, 150);
        byte[] digital = TestMedia.pdf(List.of("Born digital page about volcanoes"), PDRectangle.LETTER);
        byte[] merged = merge(digital, scanned);

        DecodedMedia.DecodedDocument doc = document(merged, DecodeOptions.defaults());

        assertEquals(TextOrigin.TEXT_LAYER, doc.pages().get(0).textOrigin());
        assertEquals("Born digital page about volcanoes", doc.pages().get(0).text());
        assertEquals(TextOrigin.OCR, doc.pages().get(1).textOrigin());
        assertTrue(lower(doc.pages().get(1).text()).contains("lighthouse"), doc.pages().get(1).text());
    }

    @Test
    void hugeImageIsDownscaledToThePixelCapAndStillRead() throws Exception {
        BufferedImage huge = new BufferedImage(9000, 6000, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = huge.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 9000, 6000);
        g.setColor(Color.BLACK);
        g.setFont(TestMedia.font(220));
        g.drawString("Harbour lights at dusk", 600, 2500);
        g.drawString("over the quiet village", 600, 3000);
        g.dispose();

        OcrResult result = engine.recognize(huge, OcrRequest.defaults().withMaxPixels(2_000_000));

        assertTrue((long) result.width() * result.height() <= 2_000_000, result.width() + "x" + result.height());
        assertEquals(1.5, result.width() / (double) result.height(), 0.01);
        assertTrue(lower(result.text()).contains("harbour lights"), result.text());
        assertTrue(result.meanConfidence() > 70, "confidence " + result.meanConfidence());
    }

    @Test
    void timeoutIsReportedByTheEngineAndOnlyNotedByDecoding() throws Exception {
        BufferedImage page = TestMedia.printedPage(PDRectangle.LETTER, 150, SCANNED_LINES);
        OcrException e = assertThrows(OcrException.class,
                () -> engine.recognize(page, OcrRequest.defaults().withTimeout(Duration.ofMillis(1))));
        assertEquals(OcrException.Kind.TIMEOUT, e.kind());
        assertTrue(e.getMessage().contains("took longer than 1 ms"), e.getMessage());

        byte[] pdf = TestMedia.scannedPdf(List.of(SCANNED_LINES), PDRectangle.LETTER, 150);
        DecodeOptions options = DecodeOptions.builder()
                .ocr(OcrOptions.builder().timeout(Duration.ofMillis(1)).build()).build();
        DecodedMedia.DocumentPage decoded = document(pdf, options).pages().get(0);
        assertEquals(TextOrigin.OCR_TIMED_OUT, decoded.textOrigin());
        assertFalse(decoded.hasText());
    }

    @Test
    void captionBurntIntoVideoFramesIsRead() throws Exception {
        // 2 s of 1280x720 at 5 fps: the first second without a caption, the second with one.
        List<BufferedImage> clip = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            clip.add(TestMedia.captionFrame(1280, 720, i < 5 ? null : "The lighthouse keeper returns home", i));
        }
        byte[] mp4 = VideoWriter.encode(VideoWriter.Format.MP4_H264, 5, clip);

        long start = System.nanoTime();
        DecodedMedia.DecodedVideo video = (DecodedMedia.DecodedVideo) DECODER.decode(MediaSource.bytes(mp4),
                Modality.VIDEO, DecodeOptions.defaults());
        long ms = (System.nanoTime() - start) / 1_000_000;

        assertEquals(2, video.frames().size());
        DecodedMedia.VideoFrame silent = video.frames().get(0);
        DecodedMedia.VideoFrame captioned = video.frames().get(1);
        assertFalse(silent.hasText(), silent.text());
        assertEquals(TextOrigin.OCR_EMPTY, silent.textOrigin());
        assertEquals(TextOrigin.OCR, captioned.textOrigin());
        assertTrue(lower(captioned.text()).contains("lighthouse keeper returns"), captioned.text());
        assertEquals(224, captioned.image().height());
        System.out.println("ocr: 2 frames of 1280x720 video sampled and OCR'd in " + ms + " ms; caption read: "
                + captioned.text());
    }

    /** The pages of the PDFs, in order, as one PDF. */
    private static byte[] merge(byte[]... pdfs) throws Exception {
        List<PDDocument> sources = new ArrayList<>();
        try (PDDocument out = new PDDocument()) {
            for (byte[] pdf : pdfs) {
                PDDocument source = Loader.loadPDF(pdf);
                sources.add(source); // imported pages read from their source until the merged file is saved
                for (PDPage page : source.getPages()) {
                    out.importPage(page);
                }
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            out.save(bytes);
            return bytes.toByteArray();
        } finally {
            for (PDDocument source : sources) {
                source.close();
            }
        }
    }
}
