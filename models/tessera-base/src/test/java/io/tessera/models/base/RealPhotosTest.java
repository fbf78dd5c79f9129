package io.tessera.models.base;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The converted model on real photographs (scikit-image's sample data): ImageNet top-5, feature stability under
 * small edits, and single-thread latency. Everything measured goes to {@code target/test-work/report.txt}.
 */
class RealPhotosTest {
    private static final List<String> PHOTOS = List.of("chelsea.png", "coffee.png", "astronaut.png", "rocket.jpg");
    private static final StringBuilder REPORT = new StringBuilder();

    @AfterAll
    static void writeReport() throws IOException {
        Path file = TestAssets.work("report").resolve("efficientnet-lite0.txt");
        Files.writeString(file, REPORT.toString());
        System.out.print(REPORT);
        System.out.println("(report written to " + file + ")");
    }

    private static synchronized void report(String format, Object... args) {
        REPORT.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    @Test
    void recognisesTheCatAndTheCoffee() throws IOException, OrtException {
        List<String> names = ImageNetClasses.load();
        Map<String, List<String>> top5 = new LinkedHashMap<>();
        for (String photo : PHOTOS) {
            float[] logits = TestAssets.run(EfficientNetLite0.preprocess(TestAssets.photo(photo)), 1).logits()[0];
            double[] p = TestAssets.softmax(logits);
            int[] top = TestAssets.topK(logits, 5);
            top5.put(photo, Arrays.stream(top).mapToObj(names::get).toList());
            report("top-5 %-14s %s", photo, String.join(", ", Arrays.stream(top)
                    .mapToObj(i -> String.format(Locale.ROOT, "%s (%.1f%%)", names.get(i), 100 * p[i])).toList()));
        }
        assertThat(top5.get("chelsea.png")).containsAnyOf("tabby", "tiger cat", "Egyptian cat");
        assertThat(top5.get("chelsea.png").get(0)).isIn("tabby", "tiger cat", "Egyptian cat");
        assertThat(top5.get("coffee.png")).containsAnyOf("cup", "espresso");
    }

    @Test
    void featuresAreStableUnderSmallEditsAndFarFromAnotherPhoto() throws IOException, OrtException {
        BufferedImage cat = TestAssets.photo("chelsea.png");
        float[] base = features(cat);
        Map<String, Double> cos = new LinkedHashMap<>();
        cos.put("mirror", TestAssets.cosine(base, features(mirror(cat))));
        cos.put("80% centre crop", TestAssets.cosine(base, features(centre(cat, 0.8))));
        cos.put("JPEG q=0.75", TestAssets.cosine(base, features(jpeg(cat, 0.75f))));
        for (String other : List.of("coffee.png", "astronaut.png", "rocket.jpg")) {
            cos.put("unrelated " + other, TestAssets.cosine(base, features(TestAssets.photo(other))));
        }
        cos.forEach((k, v) -> report("cosine chelsea vs %-24s %.4f", k, v));

        double unrelated = Math.max(cos.get("unrelated coffee.png"),
                Math.max(cos.get("unrelated astronaut.png"), cos.get("unrelated rocket.jpg")));
        assertThat(cos.get("mirror")).isGreaterThan(0.85).isGreaterThan(unrelated + 0.2);
        assertThat(cos.get("80% centre crop")).isGreaterThan(0.8).isGreaterThan(unrelated + 0.2);
        assertThat(cos.get("JPEG q=0.75")).isGreaterThan(0.95);
    }

    @Test
    void measuresSingleThreadLatency() throws IOException, OrtException {
        float[] one = EfficientNetLite0.preprocess(TestAssets.photo("chelsea.png"));
        float[] eight = new float[one.length * 8];
        for (int i = 0; i < 8; i++) {
            System.arraycopy(one, 0, eight, i * one.length, one.length);
        }
        try (OrtSession s = TestAssets.newSession(TestAssets.converted().model(), 1)) {
            for (int i = 0; i < 5; i++) {
                TestAssets.run(s, one, 1);
            }
            long[] ms1 = time(s, one, 1, 30);
            long[] ms8 = time(s, eight, 8, 5);
            report("ORT CPU, 1 intra-op thread: batch 1 median %.1f ms (min %.1f, max %.1f, 30 runs);"
                    + " batch 8 median %.1f ms per image", median(ms1) / 1e6, ms1[0] / 1e6, ms1[ms1.length - 1] / 1e6,
                    median(ms8) / 8e6);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            EfficientNetLite0.preprocess(TestAssets.photo("chelsea.png"));
        }
        report("preprocessing (decode PNG + crop/resize + normalise) %.1f ms per image", (System.nanoTime() - t0) / 1e7);
    }

    private static long[] time(OrtSession s, float[] pixels, int batch, int runs) throws OrtException {
        long[] ns = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            TestAssets.run(s, pixels, batch);
            ns[i] = System.nanoTime() - t0;
        }
        Arrays.sort(ns);
        return ns;
    }

    private static double median(long[] sorted) {
        return sorted[sorted.length / 2];
    }

    private static float[] features(BufferedImage image) throws IOException, OrtException {
        return TestAssets.run(EfficientNetLite0.preprocess(image), 1).features()[0];
    }

    private static BufferedImage mirror(BufferedImage src) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < src.getHeight(); y++) {
            for (int x = 0; x < src.getWidth(); x++) {
                out.setRGB(src.getWidth() - 1 - x, y, src.getRGB(x, y));
            }
        }
        return out;
    }

    private static BufferedImage centre(BufferedImage src, double fraction) {
        int w = (int) Math.round(src.getWidth() * fraction);
        int h = (int) Math.round(src.getHeight() * fraction);
        return src.getSubimage((src.getWidth() - w) / 2, (src.getHeight() - h) / 2, w, h);
    }

    private static BufferedImage jpeg(BufferedImage src, float quality) throws IOException {
        BufferedImage rgb = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        rgb.createGraphics().drawImage(src, 0, 0, null);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(rgb, null, null), param);
        } finally {
            writer.dispose();
        }
        return ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
    }
}
