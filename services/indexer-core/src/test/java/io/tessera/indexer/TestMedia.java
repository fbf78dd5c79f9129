package io.tessera.indexer;

import io.tessera.events.ContentReference;
import io.tessera.events.InlineBytes;
import io.tessera.events.InlineText;
import io.tessera.events.MediaArrived;
import io.tessera.events.Modality;
import io.tessera.media.ImageEncoder;
import io.tessera.media.VideoWriter;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/** Media and events generated in code for the tests (nothing binary is committed), deterministic per seed. */
public final class TestMedia {

    private static final String[] WORDS = ("river mountain forest ocean city bridge tower garden market station "
            + "harbor castle desert island valley meadow canyon glacier village temple library museum stadium "
            + "airport factory orchard vineyard lighthouse volcano waterfall").split(" ");

    private TestMedia() {
    }

    /** A picture of six coloured rectangles and ovals on a coloured background. */
    public static BufferedImage picture(long seed, int w, int h) {
        Random r = new Random(seed);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
        g.fillRect(0, 0, w, h);
        for (int i = 0; i < 6; i++) {
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

    public static byte[] jpeg(long seed) {
        try {
            return ImageEncoder.encode(picture(seed, 160, 120), ImageEncoder.Format.JPEG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] png(long seed) {
        try {
            return ImageEncoder.encode(picture(seed, 128, 96), ImageEncoder.Format.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A video of {@code seconds} seconds at 10 fps whose picture changes every second. */
    public static byte[] video(VideoWriter.Format format, int seconds, long seed) {
        List<BufferedImage> frames = new ArrayList<>();
        for (int s = 0; s < seconds; s++) {
            BufferedImage picture = picture(seed * 100 + s, 160, 120);
            for (int f = 0; f < 10; f++) {
                frames.add(picture);
            }
        }
        try {
            return VideoWriter.encode(format, 10, frames);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A born-digital PDF: one page per text, each with that text in its text layer. */
    public static byte[] pdf(List<String> pageTexts) {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (String text : pageTexts) {
                PDPage page = new PDPage(PDRectangle.A6);
                doc.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                    content.beginText();
                    content.setFont(font, 12);
                    content.newLineAtOffset(20, 360);
                    content.showText(text);
                    content.endText();
                }
            }
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code n} pseudo-random words from a small vocabulary. */
    public static String words(long seed, int n) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(WORDS[r.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }

    /** A valid PNG signature and IHDR claiming {@code w x h}, followed by a tiny IDAT and IEND. */
    public static byte[] pngClaiming(int w, int h) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0)
                .put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    public static byte[] truncated(byte[] bytes, double keep) {
        return java.util.Arrays.copyOf(bytes, (int) (bytes.length * keep));
    }

    public static MediaArrived inline(String mediaId, String tenant, Modality modality, String contentType,
                                      byte[] bytes) {
        return event(mediaId, tenant, modality, contentType, new InlineBytes(ByteBuffer.wrap(bytes)));
    }

    public static MediaArrived text(String mediaId, String tenant, String text) {
        return event(mediaId, tenant, Modality.TEXT, "text/plain", new InlineText(text));
    }

    public static MediaArrived reference(String mediaId, String tenant, Modality modality, String contentType,
                                         String uri) {
        return event(mediaId, tenant, modality, contentType, new ContentReference(uri, null, null));
    }

    private static MediaArrived event(String mediaId, String tenant, Modality modality, String contentType,
                                      Object content) {
        return MediaArrived.newBuilder()
                .setMediaId(mediaId)
                .setTenant(tenant)
                .setModality(modality)
                .setContentType(contentType)
                .setContent(content)
                .setInstruction(null)
                .setAttributes(Map.of("source", "test", "id", mediaId))
                .setOccurredAt(Instant.ofEpochMilli(System.currentTimeMillis()))
                .build();
    }
}
