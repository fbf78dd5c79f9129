package io.tessera.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import io.tessera.media.ocr.OcrEngine;
import io.tessera.media.ocr.OcrOptions;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Decode timings, one machine-readable line per case. Off by default (it takes a minute); run with
 * {@code ./mvnw -B -q -o -pl services/media-decoding test -Dtest=DecodeBenchmarkTest -Dtessera.bench=true}.
 * Each case: warm-up runs, then the median and p90 of measured runs of exactly the call an indexer makes.
 */
@EnabledIfSystemProperty(named = "tessera.bench", matches = "true")
class DecodeBenchmarkTest {

    private static final int RUNS = 15;

    @Test
    void bench() throws Exception {
        long t0 = System.nanoTime();
        MediaDecoder.loadNatives();
        System.out.printf(Locale.ROOT, "bench media natives_load ms=%.1f%n", (System.nanoTime() - t0) / 1e6);

        try (MediaDecoder decoder = new MediaDecoder(FetchConfig.builder().maxBytes(256L << 20).build())) {
            List<BufferedImage> clip = movingClip(640, 360, 30, 10);
            for (VideoWriter.Format format : VideoWriter.Format.values()) {
                byte[] video = VideoWriter.encode(format, 30, clip);
                for (int intervalS : new int[] {1, 3}) {
                    // OCR off: these cases time decoding itself, comparable across versions (OCR cases below).
                    DecodeOptions options = DecodeOptions.builder().frameInterval(Duration.ofSeconds(intervalS))
                            .ocr(OcrOptions.disabled()).build();
                    int expected = (10 + intervalS - 1) / intervalS;
                    time("video_sample_10s_360p_" + format.name().toLowerCase(Locale.ROOT) + "_every_" + intervalS
                            + "s", "frames=" + expected + " bytes=" + video.length, () -> {
                                DecodedMedia.DecodedVideo v = (DecodedMedia.DecodedVideo) decoder.decode(
                                        MediaSource.bytes(video), Modality.VIDEO, options);
                                assertEquals(expected, v.frames().size());
                            });
                }
            }

            byte[] pdf = TestMedia.pdf(List.of(lorem(0), lorem(1), lorem(2), lorem(3), lorem(4)), PDRectangle.LETTER);
            for (boolean text : new boolean[] {false, true}) {
                DecodeOptions options = DecodeOptions.builder().extractPageText(text).build();
                time("pdf_5_pages_letter_96dpi" + (text ? "_with_text" : "_render_only"), "pages=5 (divide by 5 for a"
                        + " page)", () -> assertEquals(5, decoder.decode(MediaSource.bytes(pdf), Modality.DOCUMENT,
                                options).segmentCount()));
            }

            BufferedImage photo = photoLike(1920, 1080);
            for (ImageEncoder.Format format : List.of(ImageEncoder.Format.JPEG, ImageEncoder.Format.PNG,
                    ImageEncoder.Format.WEBP)) {
                byte[] bytes = ImageEncoder.encode(photo, format);
                for (int target : new int[] {448, 0}) {
                    DecodeOptions options = DecodeOptions.builder().imageTargetShortSide(target).build();
                    time("image_1080p_" + format.name().toLowerCase(Locale.ROOT)
                            + (target == 0 ? "_full" : "_subsampled_to_" + target), "bytes=" + bytes.length,
                            () -> decoder.decode(MediaSource.bytes(bytes), Modality.IMAGE, options));
                }
            }
            ocr(decoder);

            byte[] header = TestMedia.pngDeclaring(50_000, 50_000);
            time("image_png_header_50000x50000_rejected", "", () -> {
                MediaRejectedException rejected = org.junit.jupiter.api.Assertions.assertThrows(
                        MediaRejectedException.class, () -> decoder.decode(MediaSource.bytes(header), Modality.IMAGE),
                        "a PNG declaring 50000x50000 must be refused from its header");
                assertEquals(RejectReason.PIXEL_LIMIT, rejected.reason());
            });
        }
    }

    /**
     * OCR cost: a scanned Letter page of 40 lines (decode with and without OCR; the engine call alone on the 4 MP
     * rendering OCR reads) and 10 s of 720p video with a caption, every sampled frame read.
     */
    private static void ocr(MediaDecoder decoder) throws Exception {
        OcrEngine engine = OcrEngine.system();
        if (!engine.available()) {
            System.out.println("bench media ocr skipped: no OCR engine (" + engine + ")");
            return;
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            lines.add(lorem(i));
        }
        byte[] scan = TestMedia.scannedPdf(List.of(lines), PDRectangle.LETTER, 150);
        for (boolean on : new boolean[] {false, true}) {
            DecodeOptions options = on ? DecodeOptions.defaults() : DecodeOptions.builder()
                    .ocr(OcrOptions.disabled()).build();
            time("pdf_scanned_letter_page_40_lines" + (on ? "_ocr" : "_no_ocr"), "pages=1 engine=" + engine.name(),
                    () -> {
                        DecodedMedia.DocumentPage page = ((DecodedMedia.DecodedDocument) decoder.decode(
                                MediaSource.bytes(scan), Modality.DOCUMENT, options)).pages().get(0);
                        assertEquals(on ? DecodedMedia.TextOrigin.OCR : DecodedMedia.TextOrigin.NONE,
                                page.textOrigin());
                    });
        }
        // What OCR reads for that page: Letter at 300 DPI is 8.4 MP, so it is rendered at ~207 DPI to fit 4 MP.
        BufferedImage page = TestMedia.printedPage(PDRectangle.LETTER, 207, lines);
        time("ocr_engine_letter_page_207dpi", page.getWidth() + "x" + page.getHeight(),
                () -> engine.recognize(page, OcrOptions.defaults().request(207)));

        List<BufferedImage> clip = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            clip.add(TestMedia.captionFrame(1280, 720, "Caption number " + (i / 10 + 1) + " of the talk", i / 10));
        }
        byte[] video = VideoWriter.encode(VideoWriter.Format.MP4_H264, 10, clip);
        for (boolean on : new boolean[] {false, true}) {
            DecodeOptions options = on ? DecodeOptions.defaults() : DecodeOptions.builder()
                    .ocr(OcrOptions.disabled()).build();
            time("video_10s_720p_caption" + (on ? "_ocr_10_frames" : "_no_ocr"), "frames=10", () -> assertEquals(10,
                    decoder.decode(MediaSource.bytes(video), Modality.VIDEO, options).segmentCount()));
        }
    }

    interface Case {
        void run() throws Exception;
    }

    private static void time(String name, String info, Case body) throws Exception {
        for (int i = 0; i < 3; i++) {
            body.run();
        }
        double[] ms = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            body.run();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "bench media %s median_ms=%.1f p90_ms=%.1f min_ms=%.1f %s%n", name,
                ms[RUNS / 2], ms[(int) (RUNS * 0.9)], ms[0], info);
    }

    /** Moving shapes over a gradient, with some noise: the encoder does real work on every frame. */
    static List<BufferedImage> movingClip(int w, int h, int fps, int seconds) {
        List<BufferedImage> frames = new ArrayList<>();
        Random random = new Random(1);
        for (int i = 0; i < fps * seconds; i++) {
            BufferedImage frame = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D g = frame.createGraphics();
            g.setPaint(new GradientPaint(0, 0, new Color(20, 40, 90), w, h, new Color(200, 120, 40)));
            g.fillRect(0, 0, w, h);
            g.setColor(TestMedia.SECOND_COLORS[(i / fps) % TestMedia.SECOND_COLORS.length]);
            g.fillOval((i * 7) % w, h / 3, 120, 120);
            g.setColor(Color.WHITE);
            g.fillRect(w - (i * 5) % w, (i * 3) % h, 60, 40);
            for (int k = 0; k < 400; k++) {
                frame.setRGB(random.nextInt(w), random.nextInt(h), random.nextInt(0x1000000));
            }
            g.dispose();
            frames.add(frame);
        }
        return frames;
    }

    static BufferedImage photoLike(int w, int h) {
        BufferedImage image = movingClip(w, h, 1, 1).get(0);
        Random random = new Random(2);
        for (int y = 0; y < h; y += 2) {
            for (int x = 0; x < w; x += 2) {
                int rgb = image.getRGB(x, y);
                int d = random.nextInt(31) - 15;
                int r = Math.clamp(((rgb >> 16) & 0xff) + d, 0, 255);
                int gr = Math.clamp(((rgb >> 8) & 0xff) + d, 0, 255);
                int b = Math.clamp((rgb & 0xff) + d, 0, 255);
                image.setRGB(x, y, r << 16 | gr << 8 | b);
            }
        }
        return image;
    }

    private static String lorem(int page) {
        return "Page " + (page + 1) + ": the quick brown fox jumps over the lazy dog near the river bank";
    }
}
