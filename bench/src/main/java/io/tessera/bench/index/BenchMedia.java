package io.tessera.bench.index;

import io.tessera.media.ImageEncoder;
import io.tessera.media.VideoWriter;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/** The benchmark's generated media: deterministic per seed, sized like typical items of each kind. */
final class BenchMedia {

    private static final String[] WORDS = ("river mountain forest ocean city bridge tower garden market station "
            + "harbor castle desert island valley meadow canyon glacier village temple library museum stadium "
            + "airport factory orchard vineyard lighthouse volcano waterfall sunset storm winter summer night "
            + "street train boat bicycle horse bird flower tree stone glass metal wooden red blue green golden")
            .split(" ");

    private BenchMedia() {
    }

    static BufferedImage picture(long seed, int w, int h) {
        return picture(seed, w, h, 12);
    }

    /** A picture of {@code shapes} coloured rectangles and ovals on a coloured background. */
    private static BufferedImage picture(long seed, int w, int h, int shapes) {
        Random r = new Random(seed);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
        g.fillRect(0, 0, w, h);
        for (int i = 0; i < shapes; i++) {
            g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
            int x = r.nextInt(w);
            int y = r.nextInt(h);
            if (r.nextBoolean()) {
                g.fillRect(x, y, 1 + r.nextInt(w / 2), 1 + r.nextInt(h / 2));
            } else {
                g.fillOval(x, y, 1 + r.nextInt(w / 2), 1 + r.nextInt(h / 2));
            }
        }
        g.dispose();
        return image;
    }

    /** A 640x480 JPEG, the size of a typical web photo. */
    static byte[] image(long seed) throws IOException {
        return ImageEncoder.jpeg(picture(seed, 640, 480), 0.85f);
    }

    /** A 5-second 320x240 H.264 clip at 10 fps whose picture changes every second (5 sampled frames). */
    static byte[] video(long seed) throws IOException {
        List<BufferedImage> frames = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            BufferedImage p = picture(seed * 31 + s, 320, 240);
            for (int f = 0; f < 10; f++) {
                frames.add(p);
            }
        }
        return VideoWriter.encode(VideoWriter.Format.MP4_H264, 10, frames);
    }

    /** A 4-page born-digital A5 PDF with a few lines of text per page. */
    static byte[] document(long seed) throws IOException {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (int p = 0; p < 4; p++) {
                PDPage page = new PDPage(PDRectangle.A5);
                doc.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                    content.beginText();
                    content.setFont(font, 11);
                    content.newLineAtOffset(30, 540);
                    for (int line = 0; line < 5; line++) {
                        content.showText(words(seed * 17 + p * 5 + line, 8));
                        content.newLineAtOffset(0, -16);
                    }
                    content.endText();
                }
            }
            doc.save(out);
            return out.toByteArray();
        }
    }

    /** A text of {@code n} words. */
    static String words(long seed, int n) {
        return words(seed, n, WORDS);
    }

    /** {@code n} pseudo-random words from {@code vocabulary}. */
    private static String words(long seed, int n, String[] vocabulary) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(vocabulary[r.nextInt(vocabulary.length)]);
        }
        return sb.toString();
    }
}
