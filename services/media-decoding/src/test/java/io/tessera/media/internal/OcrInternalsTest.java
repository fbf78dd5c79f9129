package io.tessera.media.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.media.RgbImage;
import io.tessera.media.ocr.OcrException;
import io.tessera.media.ocr.OcrRequest;
import io.tessera.media.ocr.OcrResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OCR plumbing that needs no engine: Tesseract's TSV, the PGM it is sent, grey and downscaling, the request. */
class OcrInternalsTest {

    /** Output of {@code tesseract stdin stdout -l eng --psm 3 tsv} (5.3.0) for two paragraphs, trimmed. */
    private static final String TSV = String.join("\n",
            "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext",
            "1\t1\t0\t0\t0\t0\t0\t0\t1275\t1650\t-1\t",
            "2\t1\t1\t0\t0\t0\t150\t128\t945\t122\t-1\t",
            "3\t1\t1\t1\t0\t0\t150\t128\t945\t122\t-1\t",
            "4\t1\t1\t1\t1\t0\t150\t128\t945\t33\t-1\t",
            "5\t1\t1\t1\t1\t1\t150\t128\t50\t26\t96.571404\tThe",
            "5\t1\t1\t1\t1\t2\t211\t128\t178\t33\t96.139030\tlighthouse",
            "4\t1\t1\t1\t2\t0\t150\t178\t900\t33\t-1\t",
            "5\t1\t1\t1\t2\t1\t150\t178\t98\t33\t95.5\tkeeper",
            "5\t1\t1\t1\t2\t2\t260\t178\t30\t33\t12.0\t~:",
            "5\t1\t1\t1\t2\t3\t300\t178\t30\t33\t-1\t",
            "2\t1\t2\t0\t0\t0\t150\t300\t500\t40\t-1\t",
            "5\t1\t2\t1\t1\t1\t150\t300\t120\t40\t91\tGlaciers",
            "5\t1\t2\t1\t1\t2\t280\t300\t60\t40\tnot-a-number\tbroken",
            "5\t1\t2\t1\t1",
            "");

    @Test
    void tsvWordsKeepTheirLayoutAndConfidence() {
        List<OcrResult.Word> words = TesseractTsv.parse(TSV);

        assertEquals(List.of("The", "lighthouse", "keeper", "~:", "Glaciers"),
                words.stream().map(OcrResult.Word::text).toList());
        assertEquals(96.571404f, words.get(0).confidence(), 1e-4);
        assertEquals(new OcrResult.Word("keeper", 95.5f, 1, 1, 2), words.get(2));
        assertEquals(new OcrResult.Word("Glaciers", 91f, 2, 1, 1), words.get(4));

        OcrResult result = new OcrResult(words, 1275, 1650, Duration.ofMillis(5));
        assertEquals("The lighthouse\nkeeper ~:\n\nGlaciers", result.text());
        assertEquals("The lighthouse\nkeeper\n\nGlaciers", result.text(50));
        assertEquals((96.571404 + 96.139030 + 95.5 + 12 + 91) / 5, result.meanConfidence(), 1e-3);
    }

    @Test
    void tsvWithoutWordsGivesNoText() {
        String blank = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
                + "1\t1\t0\t0\t0\t0\t0\t0\t64\t64\t-1\t\n";
        OcrResult result = new OcrResult(TesseractTsv.parse(blank), 64, 64, Duration.ZERO);
        assertEquals("", result.text());
        assertEquals(0, result.meanConfidence());
        assertEquals(List.of(), TesseractTsv.parse(""));
        // CRLF and an integer confidence (Tesseract 4)
        assertEquals(List.of(new OcrResult.Word("Harbour", 93f, 1, 1, 1)),
                TesseractTsv.parse("level\tx\r\n5\t1\t1\t1\t1\t1\t0\t0\t9\t9\t93\tHarbour\r\n"));
    }

    @Test
    void pgmIsAHeaderAndTheGreyBytes() {
        byte[] pgm = TesseractEngine.pgm(new byte[] {0, (byte) 128, (byte) 255, 7, 8, 9}, 3, 2);
        String header = "P5\n3 2\n255\n";
        assertEquals(header, new String(pgm, 0, header.length(), StandardCharsets.US_ASCII));
        assertEquals(header.length() + 6, pgm.length);
        assertEquals((byte) 255, pgm[header.length() + 2]);
    }

    @Test
    void greyUsesRec601Weights() {
        RgbImage image = new RgbImage(4, 1, new byte[] {(byte) 255, 0, 0, 0, (byte) 255, 0, 0, 0, (byte) 255,
            (byte) 255, (byte) 255, (byte) 255});
        assertArrayEquals(new byte[] {77, (byte) 149, 29, (byte) 255}, Pixels.gray(image));
        assertArrayEquals(Pixels.gray(image), Pixels.gray(Pixels.grayImage(image)));
    }

    @Test
    void boxDownscaleAveragesWhatEachPixelCovers() {
        // 4x2 grey: left half 0/200, right half 100/100 -> 2x1: means of each 2x2 block
        byte[] src = {0, (byte) 200, 100, 100, (byte) 200, 0, 100, 100};
        assertArrayEquals(new byte[] {100, 100}, Pixels.downscale(src, 4, 2, 1, 2, 1));
        // RGB keeps channels apart
        RgbImage rgb = new RgbImage(2, 1, new byte[] {10, 20, 30, 30, 40, 50});
        assertArrayEquals(new byte[] {20, 30, 40}, Pixels.downscale(rgb, 1, 1).rgb());
        // uneven ratio: 5 -> 2 covers [0,2) and [2,5)
        assertArrayEquals(new byte[] {5, 30}, Pixels.downscale(new byte[] {0, 10, 20, 30, 40}, 5, 1, 1, 2, 1));
    }

    @Test
    void fitKeepsAspectUnderThePixelCap() {
        assertArrayEquals(new int[] {1920, 1080}, Pixels.fit(1920, 1080, 4_000_000));
        int[] fitted = Pixels.fit(9000, 6000, 2_000_000);
        assertTrue((long) fitted[0] * fitted[1] <= 2_000_000);
        assertEquals(1732, fitted[0]);
        assertEquals(1154, fitted[1]);
    }

    @Test
    void requestRejectsOptionLikeLanguagesAndNonPositiveLimits() {
        assertEquals("eng+deu", new OcrRequest("eng+deu", Duration.ofSeconds(1), 10, 0).language());
        assertThrows(IllegalArgumentException.class, () -> new OcrRequest("--psm", Duration.ofSeconds(1), 10, 0));
        assertThrows(IllegalArgumentException.class, () -> new OcrRequest("eng deu", Duration.ofSeconds(1), 10, 0));
        assertThrows(IllegalArgumentException.class, () -> new OcrRequest("eng", Duration.ZERO, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> new OcrRequest("eng", Duration.ofSeconds(1), 0, 0));
    }

    @Test
    void execReportsExitStatusTimeoutAndOversizedOutput() {
        OcrException failed = assertThrows(OcrException.class, () -> TesseractEngine.exec(
                List.of("/bin/sh", "-c", "echo 'Failed loading language xx' >&2; exit 1"), null,
                Duration.ofSeconds(10), 1024));
        assertEquals(OcrException.Kind.FAILED, failed.kind());
        assertTrue(failed.getMessage().contains("status 1: Failed loading language xx"), failed.getMessage());

        OcrException slow = assertThrows(OcrException.class, () -> TesseractEngine.exec(
                List.of("/bin/sh", "-c", "sleep 5"), null, Duration.ofMillis(200), 1024));
        assertEquals(OcrException.Kind.TIMEOUT, slow.kind());

        OcrException chatty = assertThrows(OcrException.class, () -> TesseractEngine.exec(
                List.of("/bin/sh", "-c", "yes"), null, Duration.ofSeconds(10), 1 << 16));
        assertEquals(OcrException.Kind.FAILED, chatty.kind());
        assertTrue(chatty.getMessage().contains("more than 65536 bytes"), chatty.getMessage());

        OcrException missing = assertThrows(OcrException.class, () -> TesseractEngine.exec(
                List.of("/nonexistent/tesseract", "--version"), null, Duration.ofSeconds(10), 1024));
        assertTrue(missing.getMessage().contains("cannot start /nonexistent/tesseract"), missing.getMessage());
    }

    @Test
    void execPipesInputAndReturnsOutput() throws Exception {
        byte[] out = TesseractEngine.exec(List.of("/bin/cat"), "PGM bytes".getBytes(StandardCharsets.US_ASCII),
                Duration.ofSeconds(10), 1024);
        assertEquals("PGM bytes", new String(out, StandardCharsets.US_ASCII));
    }
}
