package io.tessera.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.media.DecodedMedia.TextOrigin;
import io.tessera.media.ocr.OcrEngine;
import io.tessera.media.ocr.OcrException;
import io.tessera.media.ocr.OcrOptions;
import io.tessera.media.ocr.OcrRequest;
import io.tessera.media.ocr.OcrResult;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * How decoding drives OCR (which pages and frames, limits, failures), with a scripted engine: runs everywhere,
 * Tesseract or not. {@link TesseractOcrTest} checks real reading.
 */
class OcrDecodingTest {

    private static final MediaDecoder DECODER = new MediaDecoder(FetchConfig.defaults());

    @AfterAll
    static void close() {
        DECODER.close();
    }

    /** Answers every call with {@code words} (or throws {@code failure}) and records what it was given. */
    static final class ScriptedEngine implements OcrEngine {
        final List<int[]> calls = Collections.synchronizedList(new ArrayList<>()); // {width, height, dpi}
        private final List<OcrResult.Word> words;
        private final Exception failure;

        ScriptedEngine(List<OcrResult.Word> words) {
            this.words = words;
            this.failure = null;
        }

        ScriptedEngine(Exception failure) {
            this.words = List.of();
            this.failure = failure;
        }

        static ScriptedEngine reading(String... text) {
            List<OcrResult.Word> words = new ArrayList<>();
            for (String w : text) {
                words.add(new OcrResult.Word(w, 90, 1, 1, 1));
            }
            return new ScriptedEngine(words);
        }

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public boolean available() {
            return true;
        }

        @Override
        public Set<String> languages() {
            return Set.of("eng");
        }

        @Override
        public OcrResult recognize(BufferedImage image, OcrRequest request) throws OcrException {
            calls.add(new int[] {image.getWidth(), image.getHeight(), request.dpi()});
            if (failure instanceof OcrException e) {
                throw e;
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            return new OcrResult(words, image.getWidth(), image.getHeight(), Duration.ofMillis(1));
        }
    }

    private static DecodeOptions with(OcrEngine engine) {
        return DecodeOptions.builder().ocr(OcrOptions.builder().engine(engine).build()).build();
    }

    private static DecodedMedia.DecodedDocument document(byte[] pdf, DecodeOptions options) throws MediaException {
        return (DecodedMedia.DecodedDocument) DECODER.decode(MediaSource.bytes(pdf), Modality.DOCUMENT, options);
    }

    private static byte[] scanned(int pages) throws Exception {
        List<List<String>> texts = new ArrayList<>();
        for (int i = 0; i < pages; i++) {
            texts.add(List.of("page " + (i + 1)));
        }
        return TestMedia.scannedPdf(texts, PDRectangle.A6, 72);
    }

    @Test
    void pageWithoutTextLayerGetsOcrTextFromARenderingAtTheOcrResolution() throws Exception {
        ScriptedEngine engine = ScriptedEngine.reading("harbour", "lights");

        DecodedMedia.DocumentPage page = document(scanned(1), with(engine)).pages().get(0);

        assertEquals("harbour lights", page.text());
        assertEquals(TextOrigin.OCR, page.textOrigin());
        assertTrue(page.hasText());
        // The page image stays at 96 DPI; OCR reads a second rendering at 300 DPI (A6 at 300 DPI is under 4 MP).
        PDRectangle a6 = PDRectangle.A6;
        assertEquals(a6.getWidth() * 96 / 72, page.image().width(), 1);
        assertEquals(1, engine.calls.size());
        int[] call = engine.calls.get(0);
        assertEquals(a6.getWidth() * 300 / 72, call[0], 1);
        assertEquals(a6.getHeight() * 300 / 72, call[1], 1);
        assertEquals(300, call[2]);
    }

    @Test
    void pageWithATextLayerIsNotOcrd() throws Exception {
        ScriptedEngine engine = ScriptedEngine.reading("never", "used");
        byte[] pdf = TestMedia.pdf(List.of("A page about lighthouses and harbours"), PDRectangle.LETTER);

        DecodedMedia.DocumentPage page = document(pdf, with(engine)).pages().get(0);

        assertEquals(TextOrigin.TEXT_LAYER, page.textOrigin());
        assertTrue(page.text().contains("lighthouses"), page.text());
        assertEquals(0, engine.calls.size());
    }

    @Test
    void aTextLayerOfAFewCharactersIsReplacedByOcrText() throws Exception {
        ScriptedEngine engine = ScriptedEngine.reading("the", "whole", "scanned", "page");
        byte[] pdf = TestMedia.pdf(List.of("p. 7"), PDRectangle.A6);

        DecodedMedia.DocumentPage page = document(pdf, with(engine)).pages().get(0);

        assertEquals(TextOrigin.OCR, page.textOrigin());
        assertEquals("the whole scanned page", page.text());
    }

    @Test
    void pagesPastThePageLimitAreNotOcrd() throws Exception {
        ScriptedEngine engine = ScriptedEngine.reading("some", "words");
        DecodeOptions options = DecodeOptions.builder()
                .ocr(OcrOptions.builder().engine(engine).maxPages(2).build()).build();

        DecodedMedia.DecodedDocument doc = document(scanned(4), options);

        assertEquals(2, engine.calls.size());
        assertEquals(List.of(TextOrigin.OCR, TextOrigin.OCR, TextOrigin.OCR_SKIPPED, TextOrigin.OCR_SKIPPED),
                doc.pages().stream().map(DecodedMedia.DocumentPage::textOrigin).toList());
        assertEquals("", doc.pages().get(3).text());
    }

    @Test
    void ocrFailuresAndTimeoutsLeaveThePageWithoutTextAndTheDocumentDecoded() throws Exception {
        ScriptedEngine timeouts = new ScriptedEngine(new OcrException(OcrException.Kind.TIMEOUT, "too slow"));
        DecodedMedia.DecodedDocument doc = document(scanned(2), with(timeouts));
        assertEquals(List.of(TextOrigin.OCR_TIMED_OUT, TextOrigin.OCR_TIMED_OUT),
                doc.pages().stream().map(DecodedMedia.DocumentPage::textOrigin).toList());
        assertFalse(doc.pages().get(0).hasText());

        ScriptedEngine broken = new ScriptedEngine(new IllegalStateException("engine bug"));
        doc = document(scanned(1), with(broken));
        assertEquals(TextOrigin.OCR_FAILED, doc.pages().get(0).textOrigin());
    }

    @Test
    void afterThreeFailuresTheRestOfTheItemIsNotOcrd() throws Exception {
        ScriptedEngine broken = new ScriptedEngine(new OcrException(OcrException.Kind.FAILED, "exit status 1"));

        DecodedMedia.DecodedDocument doc = document(scanned(5), with(broken));

        assertEquals(3, broken.calls.size());
        assertEquals(List.of(TextOrigin.OCR_FAILED, TextOrigin.OCR_FAILED, TextOrigin.OCR_FAILED,
                TextOrigin.OCR_SKIPPED, TextOrigin.OCR_SKIPPED),
                doc.pages().stream().map(DecodedMedia.DocumentPage::textOrigin).toList());
    }

    @Test
    void noOcrWhenTextExtractionOrOcrIsOffOrTheEngineIsNone() throws Exception {
        ScriptedEngine engine = ScriptedEngine.reading("x", "y");
        byte[] pdf = scanned(1);

        DecodedMedia.DocumentPage page = document(pdf, with(engine).toBuilder().extractPageText(false).build())
                .pages().get(0);
        assertEquals(TextOrigin.NONE, page.textOrigin());
        page = document(pdf, DecodeOptions.builder()
                .ocr(OcrOptions.builder().engine(engine).enabled(false).build()).build()).pages().get(0);
        assertEquals(TextOrigin.NONE, page.textOrigin());
        assertEquals(0, engine.calls.size());

        page = document(pdf, with(OcrEngine.none("not installed"))).pages().get(0);
        assertEquals(TextOrigin.NONE, page.textOrigin());
    }

    @Test
    void lowConfidenceWordsAndTooShortTextsAreDropped() throws Exception {
        ScriptedEngine noisy = new ScriptedEngine(List.of(new OcrResult.Word("Harbour", 91, 1, 1, 1),
                new OcrResult.Word("~%", 12, 1, 1, 1), new OcrResult.Word("lights", 88, 1, 1, 1)));
        assertEquals("Harbour lights", document(scanned(1), with(noisy)).pages().get(0).text());

        ScriptedEngine specks = new ScriptedEngine(List.of(new OcrResult.Word("i", 95, 1, 1, 1),
                new OcrResult.Word("-", 95, 1, 1, 1), new OcrResult.Word("wh", 20, 1, 1, 1)));
        DecodedMedia.DocumentPage page = document(scanned(1), with(specks)).pages().get(0);
        assertEquals(TextOrigin.OCR_EMPTY, page.textOrigin());
        assertEquals("", page.text());
    }

    @Test
    void ocrTextThatWouldPassTheTextLimitIsDroppedNotTheDocument() throws Exception {
        ScriptedEngine engine = ScriptedEngine.reading("a".repeat(40), "b".repeat(40));
        DecodeOptions options = with(engine).toBuilder().maxTextChars(100).build();

        DecodedMedia.DecodedDocument doc = document(scanned(2), options);

        assertEquals(TextOrigin.OCR, doc.pages().get(0).textOrigin());
        assertEquals(TextOrigin.NONE, doc.pages().get(1).textOrigin());
        assertEquals("", doc.pages().get(1).text());
    }

    @Test
    void videoFramesAreOcrdAtSourceResolutionSpreadOverTheVideoUpToTheFrameLimit() throws Exception {
        // 10 s at 2 fps, 640x360: ten sampled frames at 1 s; a limit of 4 reads every third one (0, 3, 6, 9).
        List<BufferedImage> clip = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            clip.add(TestMedia.captionFrame(640, 360, null, i / 2));
        }
        byte[] mp4 = VideoWriter.encode(VideoWriter.Format.MP4_H264, 2, clip);
        ScriptedEngine engine = ScriptedEngine.reading("caption", "text");
        DecodeOptions options = DecodeOptions.builder()
                .ocr(OcrOptions.builder().engine(engine).maxFrames(4).build()).build();

        DecodedMedia.DecodedVideo video = (DecodedMedia.DecodedVideo) DECODER.decode(MediaSource.bytes(mp4),
                Modality.VIDEO, options);

        assertEquals(10, video.frames().size());
        assertEquals(4, engine.calls.size());
        for (int[] call : engine.calls) {
            assertEquals(640, call[0]);
            assertEquals(360, call[1]);
            assertEquals(0, call[2]);
        }
        for (DecodedMedia.VideoFrame frame : video.frames()) {
            // every frame, OCR'd or not, has the model's size
            assertEquals(398, frame.image().width());
            assertEquals(224, frame.image().height());
            boolean read = frame.index() % 3 == 0;
            assertEquals(read ? TextOrigin.OCR : TextOrigin.OCR_SKIPPED, frame.textOrigin(), "frame " + frame.index());
            assertEquals(read ? "caption text" : "", frame.text());
        }
        // The shrunk OCR frames look like the others: the same picture, within codec noise.
        int[] ocrd = TestMedia.meanRgb(video.frames().get(3).image());
        int[] plain = TestMedia.meanRgb(video.frames().get(4).image());
        for (int c = 0; c < 3; c++) {
            assertTrue(Math.abs(ocrd[c] - plain[c]) < 12, java.util.Arrays.toString(ocrd) + " vs "
                    + java.util.Arrays.toString(plain));
        }
    }
}
