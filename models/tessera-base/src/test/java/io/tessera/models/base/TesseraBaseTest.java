package io.tessera.models.base;

import static io.tessera.models.base.BaseModelFixture.dot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tessera.embedding.Embedding;
import io.tessera.embedding.ImageInput;
import io.tessera.embedding.TextInput;
import io.tessera.embedding.Tower;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.model.ModelManifest;
import io.tessera.embedding.model.ProjectionHead;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bundled tessera-base 1, installed from the classpath and served by {@code EmbeddingRuntime} (CPU, one thread),
 * on real photographs (scikit-image's sample data) and text queries; plus the measurement report behind its T and
 * γ/β ({@code target/test-work/report/tessera-base.txt}).
 */
class TesseraBaseTest {
    private static BaseModelFixture f;
    /** The served (head applied, normalised) vectors of every picture, by name. */
    private static Map<String, float[]> served;

    @BeforeAll
    static void serveEveryPicture() throws Exception {
        f = BaseModelFixture.get();
        served = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(f.images.keySet());
        for (int i = 0; i < names.size(); i += 8) {
            List<String> part = names.subList(i, Math.min(names.size(), i + 8));
            List<Embedding> e = f.runtime.embedImages(part.stream().map(n -> ImageInput.of(f.images.get(n))).toList());
            for (int j = 0; j < part.size(); j++) {
                served.put(part.get(j), e.get(j).vector());
            }
        }
    }

    private static float[] text(String t) {
        return f.runtime.embedTexts(List.of(TextInput.of(t))).get(0).vector();
    }

    /** The gallery (photos and distractors) ordered by cosine to {@code query}, best first. */
    private static List<String> ranked(float[] query) {
        return f.gallery().stream().sorted(Comparator.comparingDouble((String g) -> -dot(query, served.get(g))))
                .toList();
    }

    @Test
    void theBundledModelOpensAsASealedFormat2Directory() throws Exception {
        ModelDirectory dir = ModelDirectory.open(f.dir.root());
        ModelManifest m = dir.manifest();
        assertThat(m.ref()).isEqualTo(TesseraBase.REF);
        assertThat(m.format()).isEqualTo(ModelManifest.FORMAT);
        assertThat(m.dimension()).isEqualTo(1664);
        assertThat(m.instructions()).isEmpty();
        assertThat(m.defaultTask()).isNull();
        assertThat(m.description()).contains("all-MiniLM-L6-v2", "EfficientNet-Lite0", "Apache-2.0");
        assertThat(m.files().keySet()).containsExactlyInAnyOrder("README.md", "config.json",
                "preprocessor_config.json", "heads/image.safetensors", "heads/text.safetensors", "image_model.onnx",
                "text_model.onnx", "tokenizer.json");

        ModelManifest.TextTower t = m.text();
        assertThat(t.file()).isEqualTo("text_model.onnx");
        assertThat(t.poolingMode()).isEqualTo(ModelManifest.Pooling.MEAN);
        assertThat(t.tokenTypeIds()).isEqualTo("token_type_ids");
        assertThat(t.maxLength()).isEqualTo(128);
        assertThat(t.head().file()).isEqualTo("heads/text.safetensors");
        ModelManifest.ImageTower i = m.image();
        assertThat(i.output()).isEqualTo("embedding");
        assertThat(i.resizeMode()).isEqualTo(ModelManifest.Resize.SHORTEST_EDGE_CENTER_CROP);
        assertThat(i.resizeShortestEdge()).isEqualTo(256);
        assertThat(i.imageSize()).isEqualTo(224);
        assertThat(i.rescale()).isEqualTo(1.0);
        assertThat(i.mean()).containsExactly(127, 127, 127);
        assertThat(i.std()).containsExactly(128, 128, 128);
        assertThat(i.bgr()).isFalse();
        assertThat(m.trainableProjections(Tower.IMAGE)).containsExactly("heads/image.safetensors");
        assertThat(m.trainableProjections(Tower.TEXT)).containsExactly("heads/text.safetensors");

        ProjectionHead th = ProjectionHead.read(dir.file("heads/text.safetensors"));
        assertThat(th.outputDimension()).isEqualTo(1664);
        assertThat(th.inputDimension()).isEqualTo(384);
        ProjectionHead ih = ProjectionHead.read(dir.file("heads/image.safetensors"));
        assertThat(ih.outputDimension()).isEqualTo(1664);
        assertThat(ih.inputDimension()).isEqualTo(1664);
        assertThat(ih.weight()[0]).isEqualTo(TesseraBase.BRIDGE_WEIGHT);
        assertThat(ih.weight()[1664 * 1664 - 1]).isEqualTo(TesseraBase.FEATURE_WEIGHT);
        assertThat(TesseraBase.BRIDGE_WEIGHT * TesseraBase.BRIDGE_WEIGHT
                + TesseraBase.FEATURE_WEIGHT * TesseraBase.FEATURE_WEIGHT).isCloseTo(1f, within(1e-6f));
        assertThat(Files.readString(dir.file("README.md"))).contains(TesseraBaseBuilder.source("minilm").sha256(),
                TesseraBaseBuilder.source("efficientnet").sha256(), TesseraBaseBuilder.source("torchvision").sha256());
    }

    @Test
    void theRuntimeServesBothTowersInTheSharedSpace() {
        float[] cat = served.get("chelsea.png");
        float[] words = text("a cat");
        assertThat(cat).hasSize(1664);
        assertThat(words).hasSize(1664);
        assertThat(dot(cat, cat)).isCloseTo(1, within(1e-5));
        assertThat(dot(words, words)).isCloseTo(1, within(1e-5));
        for (int d = 384; d < 1664; d++) {
            assertThat(words[d]).isZero();
        }
        // What the trainer sees: the 1664-d graph output (two unit halves) and MiniLM's pooled 384-d vector.
        float[] x = f.runtime.imageFeatures(List.of(ImageInput.of(f.images.get("chelsea.png")))).features()
                .get("heads/image.safetensors")[0];
        assertThat(x).hasSize(1664);
        assertThat(dot(java.util.Arrays.copyOf(x, 384), java.util.Arrays.copyOf(x, 384))).isCloseTo(1, within(1e-4));
        float[] y = f.runtime.textFeatures(List.of(TextInput.of("a cat"))).features().get("heads/text.safetensors")[0];
        assertThat(y).hasSize(384);

        // The served vector is exactly the recombination the measurements use: (β·bridge(T), γ·features).
        float[] b = f.bridge("chelsea.png", TesseraBase.TEMPERATURE);
        float[] fu = f.unitFeatures("chelsea.png");
        for (int d = 0; d < 1664; d++) {
            double expected = d < 384 ? TesseraBase.BRIDGE_WEIGHT * b[d] : TesseraBase.FEATURE_WEIGHT * fu[d - 384];
            assertThat((double) cat[d]).as("dimension %d", d).isCloseTo(expected, within(2e-4));
        }
    }

    @Test
    void aCatPutsChelseaInTheTopThree() {
        for (String q : List.of("a cat", "a photo of a cat")) {
            assertThat(ranked(text(q)).subList(0, 3)).as(q).contains("chelsea.png");
        }
    }

    @Test
    void aCupOfCoffeeFindsTheCoffeeFirst() {
        assertThat(ranked(text("a cup of coffee")).get(0)).isEqualTo("coffee.png");
    }

    @Test
    void everyCroppedMirroredOrReencodedCopyFindsItsOriginalFirst() {
        for (String photo : BaseModelFixture.PHOTOS) {
            for (String edit : BaseModelFixture.EDITS) {
                List<String> r = ranked(served.get(photo + "#" + edit));
                assertThat(r.get(0)).as(photo + " " + edit + " (next: " + r.subList(1, 3) + ")").isEqualTo(photo);
            }
        }
    }

    @Test
    void textToTextIsMiniLmsOwnSimilarity() {
        float[] dog = text("a photo of a dog");
        double puppy = dot(dog, text("a picture of a puppy"));
        double tax = dot(dog, text("quarterly tax report"));
        assertThat(puppy).isGreaterThan(tax + 0.5);
        assertThat(puppy).isCloseTo(0.808, within(0.03));
    }

    @Test
    void theChosenTemperatureAndWeightsAreWhatTheMeasurementsSupport() throws Exception {
        Measurements m = new Measurements(f);
        String report = m.report();
        Path file = TestAssets.work("report").resolve("tessera-base.txt");
        Files.writeString(file, report);
        System.out.print(report);
        System.out.println("(report written to " + file + ")");

        double best = 0;
        for (double t : Measurements.TEMPERATURES) {
            best = Math.max(best, m.textToImage(t).mrr());
        }
        Measurements.TextToImage chosen = m.textToImage(TesseraBase.TEMPERATURE);
        assertThat(chosen.mrr()).as("text->image MRR at the chosen T").isGreaterThan(best - 0.01);
        Measurements.ImageToImage i2i = m.imageToImage(TesseraBase.TEMPERATURE, TesseraBase.FEATURE_TO_BRIDGE);
        assertThat(i2i.found()).as("edited copies finding their original first").isEqualTo(i2i.total());
        assertThat(i2i.minMargin()).isGreaterThan(0.01);
        Measurements.Mixed mixed = m.mixed(TesseraBase.TEMPERATURE, TesseraBase.FEATURE_TO_BRIDGE);
        assertThat(mixed.ranks().get("a cat")).as("'a cat' in the mixed index").isLessThanOrEqualTo(3);
        assertThat(mixed.ranks().get("a cup of coffee")).isLessThanOrEqualTo(3);
    }
}
