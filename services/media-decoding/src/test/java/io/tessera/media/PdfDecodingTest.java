package io.tessera.media;

import static io.tessera.media.TestMedia.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class PdfDecodingTest {

    private static final MediaDecoder DECODER = new MediaDecoder(FetchConfig.defaults());
    private static final DecodeOptions OPTIONS = DecodeOptions.defaults();

    @AfterAll
    static void close() {
        DECODER.close();
    }

    private static DecodedMedia.DecodedDocument decode(byte[] bytes, DecodeOptions options) throws MediaException {
        return (DecodedMedia.DecodedDocument) DECODER.decode(MediaSource.bytes(bytes), Modality.DOCUMENT, options);
    }

    @Test
    void multiPagePdfGivesOneRenderedPageWithItsTextEach() throws Exception {
        byte[] pdf = TestMedia.pdf(List.of("Alpha page about lighthouses", "Beta page about glaciers",
                "Gamma page about volcanoes"), PDRectangle.LETTER);

        DecodedMedia.DecodedDocument doc = decode(pdf, OPTIONS);

        assertEquals(3, doc.pages().size());
        assertEquals(3, doc.segmentCount());
        String[] words = {"lighthouses", "glaciers", "volcanoes"};
        for (DecodedMedia.DocumentPage page : doc.pages()) {
            assertEquals(page.index() + 1, page.pageNumber());
            assertTrue(page.text().contains(words[page.index()]), page.text());
            assertTrue(page.hasText());
            // Letter (612x792 pt) at 96 DPI
            assertEquals(816, page.image().width());
            assertEquals(1056, page.image().height());
            assertEquals(96f, page.dpi(), 0.01f);
            // the blue box drawn at (50,50)-(250,150) pt from the bottom-left
            int x = (int) (150 * 96 / 72.0);
            int y = (int) ((792 - 100) * 96 / 72.0);
            assertEquals(0x0000FF, page.image().rgbAt(x, y));
            assertEquals(0xFFFFFF, page.image().rgbAt(5, 5));
        }
    }

    @Test
    void textExtractionCanBeSwitchedOff() throws Exception {
        byte[] pdf = TestMedia.pdf(List.of("some words"), PDRectangle.A6);

        DecodedMedia.DocumentPage page = decode(pdf, OPTIONS.toBuilder().extractPageText(false).build()).pages().get(0);

        assertEquals("", page.text());
    }

    @Test
    void hugeMediaBoxIsRenderedUnderThePixelCapAtALowerDpi() throws Exception {
        byte[] pdf = TestMedia.pdf(List.of("billboard"), new PDRectangle(14_400, 14_400));

        DecodedMedia.DocumentPage page = decode(pdf, OPTIONS).pages().get(0);

        long pixels = (long) page.image().width() * page.image().height();
        assertTrue(pixels <= OPTIONS.maxPagePixels(), "pixels: " + pixels);
        assertTrue(pixels > OPTIONS.maxPagePixels() * 0.98, "pixels: " + pixels);
        assertEquals(72 * Math.sqrt(OPTIONS.maxPagePixels()) / 14_400, page.dpi(), 0.01); // 10 DPI, not 96
    }

    @Test
    void manyPagesShareTheOutputBudget() throws Exception {
        byte[] pdf = TestMedia.pdf(List.of("1", "2", "3", "4"), PDRectangle.LETTER);
        long budget = 4L * 3 * 200_000;

        DecodedMedia.DecodedDocument doc = decode(pdf, OPTIONS.toBuilder().maxOutputBytes(budget).build());

        long total = doc.pages().stream().mapToLong(p -> (long) p.image().rgb().length).sum();
        assertTrue(total <= budget, "total " + total);
    }

    @Test
    void moreThanThePageCapIsRejected() throws Exception {
        byte[] pdf = TestMedia.pdf(List.of("1", "2", "3"), PDRectangle.A6);

        assertRejected(RejectReason.PAGE_LIMIT, () -> decode(pdf, OPTIONS.toBuilder().maxPages(2).build()));
    }

    @Test
    void randomBytesAreRejectedFast() {
        byte[] random = TestMedia.randomBytes(5_000_000, 11);

        MediaRejectedException e = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> assertRejected(RejectReason.UNSUPPORTED_FORMAT, () -> decode(random, OPTIONS)));

        assertTrue(e.getMessage().contains("no %PDF- header"), "rejected before parsing: " + e.getMessage());
    }

    @Test
    void pdfHeaderFollowedByGarbageIsCorrupt() {
        byte[] header = "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[100_000];
        System.arraycopy(TestMedia.randomBytes(bytes.length, 12), 0, bytes, 0, bytes.length);
        System.arraycopy(header, 0, bytes, 0, header.length);

        assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertRejected(RejectReason.CORRUPT_DOCUMENT, () -> decode(bytes, OPTIONS)));
    }

    @Test
    void passwordProtectedPdfIsRejectedAsEncrypted() throws Exception {
        byte[] plain = TestMedia.pdf(List.of("secret"), PDRectangle.A6);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PDDocument doc = Loader.loadPDF(plain)) {
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner", "user", new AccessPermission());
            policy.setEncryptionKeyLength(128);
            doc.protect(policy);
            doc.save(out);
        }

        assertRejected(RejectReason.ENCRYPTED, () -> decode(out.toByteArray(), OPTIONS));
    }

    @Test
    void tooMuchTextIsRejected() throws Exception {
        byte[] pdf = TestMedia.pdf(List.of("a".repeat(40), "b".repeat(40)), PDRectangle.LETTER);

        assertRejected(RejectReason.TEXT_LIMIT, () -> decode(pdf, OPTIONS.toBuilder().maxTextChars(60).build()));
    }
}
