package io.tessera.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.junit.jupiter.api.function.Executable;

/** Media generated in code for the tests: nothing binary is committed. */
final class TestMedia {

    /** One colour per second of generated video, far apart in RGB so that lossy codecs keep them apart. */
    static final Color[] SECOND_COLORS = {Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW, Color.MAGENTA,
        Color.CYAN, Color.WHITE, Color.BLACK, new Color(255, 128, 0), new Color(128, 0, 255)};

    private TestMedia() {
    }

    static BufferedImage halves(int w, int h, Color left, Color right) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(left);
        g.fillRect(0, 0, w / 2, h);
        g.setColor(right);
        g.fillRect(w / 2, 0, w - w / 2, h);
        g.dispose();
        return image;
    }

    /** Frames of a clip whose picture is {@code SECOND_COLORS[second]} for the whole of each second. */
    static List<BufferedImage> secondsClip(int w, int h, int fps, double seconds) {
        int count = (int) Math.round(fps * seconds);
        List<BufferedImage> frames = new ArrayList<>(count);
        BufferedImage[] perSecond = new BufferedImage[SECOND_COLORS.length];
        for (int i = 0; i < count; i++) {
            int second = (i / fps) % SECOND_COLORS.length;
            if (perSecond[second] == null) {
                perSecond[second] = halves(w, h, SECOND_COLORS[second], SECOND_COLORS[second]);
            }
            frames.add(perSecond[second]);
        }
        return frames;
    }

    /** Mean colour of an image, as {r, g, b}. */
    static int[] meanRgb(RgbImage image) {
        long[] sum = new long[3];
        byte[] rgb = image.rgb();
        for (int i = 0; i < rgb.length; i++) {
            sum[i % 3] += rgb[i] & 0xff;
        }
        int n = image.width() * image.height();
        return new int[] {(int) (sum[0] / n), (int) (sum[1] / n), (int) (sum[2] / n)};
    }

    static void assertColorNear(Color expected, int[] actual, int tolerance, String what) {
        int[] e = {expected.getRed(), expected.getGreen(), expected.getBlue()};
        for (int c = 0; c < 3; c++) {
            if (Math.abs(e[c] - actual[c]) > tolerance) {
                fail(what + ": expected about " + java.util.Arrays.toString(e) + ", was "
                        + java.util.Arrays.toString(actual));
            }
        }
    }

    /** A PDF with one page per text, each drawn with a standard font so it has a text layer. */
    static byte[] pdf(List<String> pageTexts, PDRectangle size) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (String text : pageTexts) {
                PDPage page = new PDPage(size);
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.setNonStrokingColor(Color.BLUE);
                    cs.addRect(50, 50, 200, 100);
                    cs.fill();
                    cs.beginText();
                    cs.setFont(font, 24);
                    cs.setNonStrokingColor(Color.BLACK);
                    cs.newLineAtOffset(72, size.getHeight() - 100);
                    cs.showText(text);
                    cs.endText();
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }

    /** LiberationSans, which PDFBox ships: the same glyphs on every machine, no system fonts needed. */
    static Font font(float sizePx) {
        try (InputStream in = PDDocument.class.getResourceAsStream(
                "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf")) {
            if (in == null) {
                throw new IllegalStateException("LiberationSans-Regular.ttf is not in the PDFBox jar");
            }
            return Font.createFont(Font.TRUETYPE_FONT, in).deriveFont(sizePx);
        } catch (IOException | FontFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Black lines of text on white, as a printed page scanned at {@code dpi} (12 pt type). */
    static BufferedImage printedPage(PDRectangle size, int dpi, List<String> lines) {
        int w = Math.round(size.getWidth() / 72f * dpi);
        int h = Math.round(size.getHeight() / 72f * dpi);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setColor(Color.BLACK);
            g.setFont(font(12f / 72f * dpi));
            int lineHeight = Math.round(12f / 72f * dpi * 1.6f);
            int y = dpi; // one-inch margins
            for (String line : lines) {
                g.drawString(line, dpi, y);
                y += lineHeight;
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /**
     * A PDF whose pages are pictures only (no text layer), like a scan: each page's lines printed into an image at
     * {@code dpi} that fills the page.
     */
    static byte[] scannedPdf(List<List<String>> pages, PDRectangle size, int dpi) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            for (List<String> lines : pages) {
                PDPage page = new PDPage(size);
                doc.addPage(page);
                PDImageXObject scan = LosslessFactory.createFromImage(doc, printedPage(size, dpi, lines));
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.drawImage(scan, 0, 0, size.getWidth(), size.getHeight());
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }

    /**
     * A video frame: a dark, busy background (gradient and shapes) with {@code caption} burnt in at the bottom as
     * subtitles are, white with a black outline; no caption when it is null.
     */
    static BufferedImage captionFrame(int w, int h, String caption, int seed) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setPaint(new GradientPaint(0, 0, new Color(30, 60, 110), w, h, new Color(120, 70, 30)));
            g.fillRect(0, 0, w, h);
            g.setColor(new Color(90, 140, 60));
            g.fillOval(w / 5 + seed * 10, h / 5, w / 3, h / 3);
            g.setColor(new Color(160, 160, 170));
            g.fillRect(w / 2, h / 6, w / 4, h / 2);
            if (caption != null) {
                Font font = font(h / 16f);
                java.awt.font.GlyphVector glyphs = font.createGlyphVector(g.getFontRenderContext(), caption);
                java.awt.Rectangle bounds = glyphs.getPixelBounds(g.getFontRenderContext(), 0, 0);
                java.awt.Shape outline = glyphs.getOutline((w - bounds.width) / 2f, h - h / 10f);
                g.setStroke(new java.awt.BasicStroke(h / 180f * 2, java.awt.BasicStroke.CAP_ROUND,
                        java.awt.BasicStroke.JOIN_ROUND));
                g.setColor(Color.BLACK);
                g.draw(outline);
                g.setColor(Color.WHITE);
                g.fill(outline);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /**
     * A PNG whose IHDR (with a valid CRC) declares the given size, followed by a tiny IDAT and IEND: any decoder
     * that trusts the header allocates width x height pixels.
     */
    static byte[] pngDeclaring(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    static MediaRejectedException assertRejected(RejectReason reason, Executable call) {
        MediaRejectedException e = assertThrows(MediaRejectedException.class, call);
        assertEquals(reason, e.reason(), () -> "wrong reason; message: " + e.getMessage());
        return e;
    }

    static TransientMediaException assertTransient(TransientReason reason, Executable call) {
        TransientMediaException e = assertThrows(TransientMediaException.class, call);
        assertEquals(reason, e.reason(), () -> "wrong reason; message: " + e.getMessage());
        return e;
    }
}
