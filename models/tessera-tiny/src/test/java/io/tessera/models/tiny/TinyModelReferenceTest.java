package io.tessera.models.tiny;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.embedding.Embedding;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.ImageInput;
import io.tessera.embedding.Pictures;
import io.tessera.embedding.ProjectionFeatures;
import io.tessera.embedding.TestModels;
import io.tessera.embedding.TextInput;
import io.tessera.embedding.internal.TextEncoder;
import io.tessera.embedding.model.ModelDirectory;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TinyModelReferenceTest {
    private static final double TOLERANCE = 1e-5;
    private static ModelDirectory dir;
    private static EmbeddingRuntime runtime;
    private static TinyReference reference;
    private static final TinyModelSpec SPEC = TinyModelSpec.tesseraTiny();

    @BeforeAll
    static void load() throws Exception {
        dir = TinyTestModels.tiny();
        runtime = EmbeddingRuntime.start(dir, TestModels.cpu());
        reference = new TinyReference(dir, SPEC);
    }

    @AfterAll
    static void close() {
        runtime.close();
    }

    private static List<byte[]> pictures() {
        int s = SPEC.imageSize();
        List<byte[]> out = new ArrayList<>();
        out.add(Pictures.rgb(Pictures.shape(s, "circle", Color.RED, 0.2, 0.2, 0.2, Color.WHITE)));
        out.add(Pictures.rgb(Pictures.shape(s, "star", new Color(0, 160, 0), 0.7, 0.6, 0.5, Color.BLACK)));
        out.add(Pictures.rgb(Pictures.shape(s, "ring", Color.BLUE, 0.5, 0.5, 0.8, new Color(250, 240, 200))));
        byte[] noise = new byte[s * s * 3];
        new Random(3).nextBytes(noise);
        out.add(noise);
        BufferedImage gradient = new BufferedImage(s, s, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                gradient.setRGB(x, y, new Color(x * 255 / s, 128, y * 255 / s).getRGB());
            }
        }
        out.add(Pictures.rgb(gradient));
        return out;
    }

    @Test
    void imageTowerMatchesPlainJavaReferenceWithin1e5() {
        List<byte[]> pics = pictures();
        List<ImageInput> inputs = pics.stream().map(b -> ImageInput.ofRgb(b, SPEC.imageSize(), SPEC.imageSize()))
                .toList();
        List<Embedding> embeddings = runtime.embedImages(inputs);
        ProjectionFeatures features = runtime.imageFeatures(inputs);
        float[][] f = features.features().get(SPEC.imageProjection());
        assertEquals(pics.size(), f.length);
        for (int i = 0; i < pics.size(); i++) {
            double[] refFeatures = reference.imageFeatures(reference.pixelValues(pics.get(i)));
            assertEquals(SPEC.imageFeatureDimension(), refFeatures.length, "feature count");
            assertEquals(refFeatures.length, f[i].length, "graph feature count");
            assertClose(refFeatures, f[i], "image features of picture " + i);
            assertClose(reference.imageEmbedding(refFeatures), embeddings.get(i).vector(),
                    "image embedding of picture " + i);
        }
    }

    @Test
    void textTowerMatchesPlainJavaReferenceWithin1e5() throws Exception {
        List<TextInput> texts = List.of(
                TextInput.of("a small red circle at the top left"),
                TextInput.of("A LARGE green Star, bottom-right; moving up!", "search"),
                TextInput.of("zzqx unknownword café naïve"),
                TextInput.of("page 3 of the quarterly report: a bar chart with the keywords", "document"),
                TextInput.of("word ".repeat(200)));
        List<String> instructed = runtime.instructedTexts(texts);
        List<Embedding> embeddings = runtime.embedTexts(texts);
        float[][] f = runtime.textFeatures(texts).features().get(SPEC.textProjection());
        try (TextEncoder encoder = TextEncoder.open(dir.file("tokenizer.json"), SPEC.maxLength(), false)) {
            for (int i = 0; i < texts.size(); i++) {
                long[] ids = reference.tokenIds(instructed.get(i));
                TextEncoder.Batch djl = encoder.encode(List.of(instructed.get(i)));
                assertArrayEquals(ids, djl.ids(), "token ids of '" + instructed.get(i) + "'");
                double[] refFeatures = reference.textFeatures(ids);
                assertClose(refFeatures, f[i], "text features of text " + i);
                assertClose(reference.textEmbedding(refFeatures), embeddings.get(i).vector(),
                        "text embedding of text " + i);
            }
        }
        assertEquals(SPEC.maxLength(), reference.tokenIds(instructed.get(4)).length, "long text truncated");
    }

    @Test
    void instructionTemplateIsPutBeforeTheText() {
        List<String> s = runtime.instructedTexts(List.of(TextInput.of("red circle"),
                TextInput.of("red circle", "search"), new TextInput("red circle", "search", "Find a logo.")));
        assertTrue(s.get(0).startsWith("Given an image, summarize"), s.get(0));
        assertTrue(s.get(0).endsWith("Represent the given text in one word. red circle"), s.get(0));
        assertTrue(s.get(1).contains("Find the image, video frame or document page"), s.get(1));
        assertTrue(s.get(2).endsWith("Find a logo. red circle"), s.get(2));
    }

    @Test
    void generationIsDeterministic() throws Exception {
        ModelDirectory again = TinyModelGenerator.generateInto(SPEC, TestModels.freshDir("regen").resolve("1"));
        assertEquals(dir.manifest().files(), again.manifest().files(), "same spec, same bytes");
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - actual[i]);
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        assertTrue(worst <= TOLERANCE, what + ": largest difference " + worst + " at " + at + " (expected "
                + (at >= 0 ? expected[at] : 0) + ", got " + (at >= 0 ? actual[at] : 0) + ")");
    }
}
