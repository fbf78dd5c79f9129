package io.tessera.demo.run;

import io.tessera.events.InlineBytes;
import io.tessera.events.InlineText;
import io.tessera.events.MediaArrived;
import io.tessera.events.Modality;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * The demo's real-media section: real photographs (scikit-image's sample data, bundled into the demo jar by the build
 * from the PyPI wheel), real long texts (the licence texts Debian's base-files package installs under
 * {@code /usr/share/common-licenses}) and a scanned page (an image-only PDF with printed words, found only through
 * OCR) are published through the services and searched by meaning.
 */
final class RealMedia {

    /** Bundled photos: classpath folder, then file name and what it shows. */
    static final String PHOTOS = "io/tessera/demo/realmedia/";
    static final Map<String, String> PHOTO_FILES = Map.of(
            "chelsea.png", "Chelsea the cat", "coffee.png", "a cup of coffee", "astronaut.png", "an astronaut",
            "rocket.jpg", "a rocket", "motorcycle_right.png", "a motorcycle", "horse.png", "a horse",
            "coins.png", "coins", "camera.png", "a man with a camera");
    static final Path LICENSES = Path.of("/usr/share/common-licenses");
    static final List<String> LICENSE_FILES = List.of("Apache-2.0", "GPL-3", "MPL-2.0", "Artistic", "CC0-1.0",
            "LGPL-2.1");
    /** The printed words of the scanned page, and the query that must find it. */
    static final String SCANNED_TEXT = "Harbour crane inspection report. The north crane failed its annual brake test"
            + " and stays out of service until the hydraulic brake is replaced.";
    static final String SCANNED_QUERY = "harbour crane brake inspection";
    static final String SCANNED_ID = "real-scan-crane-report";

    /** A query and the media id that answers it (a prefix: any licence text answers the warranty query). */
    record Query(String label, String text, byte[] image, String expectedPrefix, List<String> modalities) {
    }

    private RealMedia() {
    }

    static String photoId(String file) {
        return "real-photo-" + file.substring(0, file.lastIndexOf('.')).replace('_', '-');
    }

    /** Every item of the section, as events for {@code media.arrived}. */
    static List<EventPublisher.Keyed<MediaArrived>> events(String tenant, Instant now) throws IOException {
        List<EventPublisher.Keyed<MediaArrived>> out = new ArrayList<>();
        for (String file : PHOTO_FILES.keySet().stream().sorted().toList()) {
            byte[] bytes = resource(file);
            if (bytes == null) {
                continue;
            }
            out.add(keyed(photoId(file), tenant, Modality.IMAGE, file.endsWith(".jpg") ? "image/jpeg" : "image/png",
                    new InlineBytes(ByteBuffer.wrap(bytes)), now, Map.of("source", "scikit-image " + file)));
        }
        for (String name : LICENSE_FILES) {
            Path f = LICENSES.resolve(name);
            if (Files.isRegularFile(f)) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                out.add(keyed("real-license-" + name.toLowerCase(java.util.Locale.ROOT), tenant, Modality.TEXT,
                        "text/plain", new InlineText(text.length() > 20_000 ? text.substring(0, 20_000) : text), now,
                        Map.of("source", f.toString())));
            }
        }
        out.add(keyed(SCANNED_ID, tenant, Modality.DOCUMENT, "application/pdf",
                new InlineBytes(ByteBuffer.wrap(scannedPdf())), now, Map.of("source", "generated scan")));
        return out;
    }

    /** The queries, in the order they are printed. */
    static List<Query> queries() throws IOException {
        List<Query> q = new ArrayList<>();
        q.add(new Query("text", "a cat", null, photoId("chelsea.png"), List.of("IMAGE")));
        q.add(new Query("text", "a cup of coffee", null, photoId("coffee.png"), List.of("IMAGE")));
        q.add(new Query("text", "a rocket", null, photoId("rocket.jpg"), List.of("IMAGE")));
        q.add(new Query("text", "a motorcycle", null, photoId("motorcycle_right.png"), List.of("IMAGE")));
        q.add(new Query("text", "the software is provided as is, without warranty of any kind", null,
                "real-license-", List.of("TEXT")));
        q.add(new Query("text", SCANNED_QUERY, null, SCANNED_ID, List.of("DOCUMENT")));
        for (String file : List.of("chelsea.png", "coffee.png", "astronaut.png", "rocket.jpg")) {
            byte[] bytes = resource(file);
            if (bytes != null) {
                q.add(new Query("crop of " + file, null, croppedJpeg(bytes), photoId(file), List.of("IMAGE")));
            }
        }
        return q;
    }

    static byte[] resource(String file) throws IOException {
        try (InputStream in = RealMedia.class.getClassLoader().getResourceAsStream(PHOTOS + file)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    /** The centre 80 % of a photo, re-encoded as JPEG: a near-duplicate that must find its original. */
    static byte[] croppedJpeg(byte[] photo) throws IOException {
        BufferedImage img = ImageIO.read(new java.io.ByteArrayInputStream(photo));
        int w = img.getWidth() * 8 / 10;
        int h = img.getHeight() * 8 / 10;
        BufferedImage crop = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = crop.createGraphics();
        g.drawImage(img, 0, 0, w, h, (img.getWidth() - w) / 2, (img.getHeight() - h) / 2,
                (img.getWidth() + w) / 2, (img.getHeight() + h) / 2, null);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(crop, "jpg", out);
        return out.toByteArray();
    }

    /** A page with printed words as a picture only (no text layer), as a scanner makes it. */
    static byte[] scannedPdf() throws IOException {
        int width = 1240;
        int height = 1754; // A4 at 150 dpi
        BufferedImage page = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = page.createGraphics();
        g.setColor(new Color(250, 248, 240));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(20, 20, 20));
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SERIF, Font.PLAIN, 34));
        int y = 200;
        StringBuilder line = new StringBuilder();
        for (String word : SCANNED_TEXT.split(" ")) {
            if (g.getFontMetrics().stringWidth(line + " " + word) > width - 240) {
                g.drawString(line.toString(), 120, y);
                y += 56;
                line.setLength(0);
            }
            line.append(line.isEmpty() ? "" : " ").append(word);
        }
        g.drawString(line.toString(), 120, y);
        g.dispose();
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage pdfPage = new PDPage(PDRectangle.A4);
            doc.addPage(pdfPage);
            PDImageXObject image = LosslessFactory.createFromImage(doc, page);
            try (PDPageContentStream content = new PDPageContentStream(doc, pdfPage)) {
                content.drawImage(image, 0, 0, PDRectangle.A4.getWidth(), PDRectangle.A4.getHeight());
            }
            doc.save(out);
            return out.toByteArray();
        }
    }

    private static EventPublisher.Keyed<MediaArrived> keyed(String id, String tenant, Modality modality,
            String contentType, Object content, Instant now, Map<String, String> attributes) {
        return new EventPublisher.Keyed<>(id, MediaArrived.newBuilder().setMediaId(id).setTenant(tenant)
                .setModality(modality).setContentType(contentType).setContent(content).setInstruction(null)
                .setAttributes(attributes).setOccurredAt(now).build());
    }
}
