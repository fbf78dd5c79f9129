package io.tessera.demo.dataset.internal;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

/**
 * Lays out the generated PDFs with PDFBox: per page a heading, a keywords line, a figure, its caption and a body
 * paragraph, all real text (born-digital, extractable). The text is set in Liberation Sans, which PDFBox ships,
 * embedded as a subset: a PDF that named a standard font instead would be rendered with whatever font the reading
 * machine maps it to, so the rendered pages (and their hashes) would vary between machines. No dates are written,
 * so the bytes depend on the content alone.
 */
public final class DocumentPdf {

    /** Page size in points: small and nearly square, so a page rendered for a 224-pixel model keeps its figure large. */
    public static final float PAGE_WIDTH = 288;
    public static final float PAGE_HEIGHT = 360;
    private static final float MARGIN = 20;
    private static final float FIGURE = 176;
    private static final float TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN;

    private static final String FONT_RESOURCE = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";
    /** Parsed once: parsing the 400 kB font took longer than laying out a whole document. */
    private static final TrueTypeFont FONT = loadFont();

    private DocumentPdf() {
    }

    public record Page(String title, List<String> keywords, BufferedImage figure, String figureCaption, String body) {
    }

    /**
     * The PDF bytes. {@code identity} names the document (the dataset seed and media id): its hash becomes the
     * file identifier, which PDFBox would otherwise derive from the clock.
     */
    public static byte[] write(String identity, String title, String subject, List<Page> pages) throws IOException {
        try (PDDocument document = new PDDocument()) {
            byte[] id = java.util.Arrays.copyOf(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(identity.getBytes(java.nio.charset.StandardCharsets.UTF_8)), 16);
            COSArray ids = new COSArray();
            ids.add(new COSString(id));
            ids.add(new COSString(id));
            document.getDocument().setDocumentID(ids);
            PDDocumentInformation info = document.getDocumentInformation();
            info.setTitle(title);
            info.setSubject(subject);
            info.setCreator("Tessera dataset generator");
            List<String> keywords = new ArrayList<>();
            for (Page page : pages) {
                for (String keyword : page.keywords()) {
                    if (!keywords.contains(keyword)) {
                        keywords.add(keyword);
                    }
                }
            }
            info.setKeywords(String.join(", ", keywords));
            PDFont font = PDType0Font.load(document, FONT, true);
            for (int i = 0; i < pages.size(); i++) {
                addPage(document, font, pages.get(i), title + " - page " + (i + 1) + " of " + pages.size());
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static TrueTypeFont loadFont() {
        try (java.io.InputStream in = DocumentPdf.class.getResourceAsStream(FONT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("PDFBox no longer ships " + FONT_RESOURCE);
            }
            return new TTFParser().parse(new RandomAccessReadBuffer(in.readAllBytes()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void addPage(PDDocument document, PDFont font, Page page, String footer) throws IOException {
        PDPage pdPage = new PDPage(new PDRectangle(PAGE_WIDTH, PAGE_HEIGHT));
        document.addPage(pdPage);
        PDImageXObject figure = LosslessFactory.createFromImage(document, page.figure());
        try (PDPageContentStream content = new PDPageContentStream(document, pdPage)) {
            text(content, font, 14, MARGIN, PAGE_HEIGHT - 28, page.title());
            text(content, font, 8.5f, MARGIN, PAGE_HEIGHT - 44, "Keywords: " + String.join(", ", page.keywords()));
            float figureBottom = PAGE_HEIGHT - 56 - FIGURE;
            content.drawImage(figure, (PAGE_WIDTH - FIGURE) / 2, figureBottom, FIGURE, FIGURE);
            float y = figureBottom - 12;
            for (String line : wrap(page.figureCaption(), font, 8, TEXT_WIDTH)) {
                text(content, font, 8, MARGIN, y, line);
                y -= 10;
            }
            y -= 6;
            for (String line : wrap(page.body(), font, 8.5f, TEXT_WIDTH)) {
                text(content, font, 8.5f, MARGIN, y, line);
                y -= 11;
            }
            text(content, font, 7, MARGIN, 14, footer);
        }
    }

    private static void text(PDPageContentStream content, PDFont font, float size, float x, float y, String text)
            throws IOException {
        content.beginText();
        content.setFont(font, size);
        content.newLineAtOffset(x, y);
        content.showText(text);
        content.endText();
    }

    /** Greedy word wrap; PDFBox draws one line per call and leaves line breaking to the caller. */
    static List<String> wrap(String text, PDFont font, float size, float width) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (!line.isEmpty() && font.getStringWidth(candidate) / 1000 * size > width) {
                lines.add(line.toString());
                line = new StringBuilder(word);
            } else {
                line = new StringBuilder(candidate);
            }
        }
        if (!line.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }

    /** Renders every page of a PDF to an RGB image {@code width} pixels wide, as an indexer would see it. */
    public static List<BufferedImage> render(byte[] pdf, int width) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDFRenderer renderer = new PDFRenderer(document);
            List<BufferedImage> out = new ArrayList<>();
            for (int i = 0; i < document.getNumberOfPages(); i++) {
                float scale = width / document.getPage(i).getMediaBox().getWidth();
                out.add(renderer.renderImage(i, scale, ImageType.RGB));
            }
            return out;
        }
    }
}
