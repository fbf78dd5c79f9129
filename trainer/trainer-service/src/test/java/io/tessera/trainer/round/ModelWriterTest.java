package io.tessera.trainer.round;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.ImageInput;
import io.tessera.embedding.RuntimeConfig;
import io.tessera.embedding.TextInput;
import io.tessera.embedding.model.DefaultModels;
import io.tessera.embedding.model.LocalModelStore;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.model.ModelManifest;
import io.tessera.training.Example;
import io.tessera.training.FeatureItem;
import io.tessera.training.Projection;
import io.tessera.training.TrainingConfig;
import io.tessera.training.ValidationSet;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trained version written into the store: only the projection initializers differ from the parent, and the loaded
 * model embeds exactly like the base features times the merged weights.
 */
class ModelWriterTest {

    @TempDir
    static Path dir;

    static LocalModelStore store;
    static ModelDirectory parent;
    static RoundRunner.Result result;
    static ModelDirectory written;

    @BeforeAll
    static void writeAVersion() {
        store = new LocalModelStore(dir.resolve("models"));
        parent = DefaultModels.installBundled(store, DefaultModels.TESSERA_TINY);
        Map<String, Projection> base = ModelWriter.projections(parent);
        String image = parent.manifest().image().projections().get(0).initializer();
        String text = parent.manifest().text().projections().get(0).initializer();
        // A small random retrieval problem in the model's real shapes: enough for a real (if meaningless) round.
        SplittableRandom rnd = new SplittableRandom(3);
        List<Example> train = new ArrayList<>();
        List<ValidationSet.Pair> val = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            FeatureItem q = new FeatureItem(text, "q" + i, random(rnd, base.get(text).inDim()));
            FeatureItem p = new FeatureItem(image, "p" + i, random(rnd, base.get(image).inDim()));
            if (i < 36) {
                train.add(new Example("t2i", q, p, List.of()));
            } else {
                val.add(new ValidationSet.Pair(q, p));
            }
        }
        TrainingConfig recipe = TrainingConfig.builder().epochs(2).batchSize(12).loraRank(4).loraAlpha(4).build();
        result = RoundRunner.run(train, List.of(ValidationSet.of("t2i", val)), base,
                new RoundRunner.Settings(recipe, 2, RoundRunner.SoupChoice.BEST, 0.02, 11, new Gate(0)), new RoundRunner.Listener() { });
        TrainingReport report = TrainingReport.of("tessera-tiny", 2, 1, "test", Instant.EPOCH, Instant.EPOCH.plusSeconds(3),
                Map.of("training", 1L), new TrainingReport.Pairs(48, 36, 12, Map.of(), 0, 0), recipe, result, List.of());
        written = ModelWriter.write(store, parent, 2, result.chosen().projections(), report, dir.resolve("staging"));
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) rnd.nextGaussian();
        }
        return f;
    }

    @Test
    void theVersionIsInTheStoreWithItsParentAndChecksums() {
        assertThat(store.versions("tessera-tiny")).containsExactly(1, 2);
        ModelDirectory reopened = store.open(written.ref());
        assertThat(reopened.manifest().parentVersion()).isEqualTo(1);
        assertThat(reopened.manifest().files()).containsKeys(TrainingReport.JSON_FILE, TrainingReport.CHART_FILE);
        assertThat(ModelWriter.artifactSha256(reopened)).hasSize(64).isEqualTo(ModelWriter.artifactSha256(written));
        assertThat(ModelWriter.artifactUri(reopened)).startsWith("file:/").endsWith("/tessera-tiny/2/");
        assertThat(Files.exists(dir.resolve("staging")) ? dir.resolve("staging").toFile().list() : new String[0]).isEmpty();
    }

    @Test
    void onlyTheProjectionInitializersChanged() throws Exception {
        ModelManifest pm = parent.manifest();
        ModelManifest wm = written.manifest();
        List<String> graphs = List.of(pm.image().file(), pm.text().file());
        for (Map.Entry<String, String> f : pm.files().entrySet()) {
            if (!graphs.contains(f.getKey())) {
                assertThat(wm.files().get(f.getKey())).as(f.getKey() + " copied byte for byte").isEqualTo(f.getValue());
            }
        }
        Map<String, Projection> merged = result.chosen().projections();
        for (String graph : graphs) {
            OnnxMl.ModelProto before = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(parent.file(graph)));
            OnnxMl.ModelProto after = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(written.file(graph)));
            assertThat(after.getGraph().getNodeList()).isEqualTo(before.getGraph().getNodeList());
            assertThat(after.getGraph().getInputList()).isEqualTo(before.getGraph().getInputList());
            assertThat(after.getGraph().getOutputList()).isEqualTo(before.getGraph().getOutputList());
            assertThat(after.getGraph().getInitializerCount()).isEqualTo(before.getGraph().getInitializerCount());
            for (int i = 0; i < before.getGraph().getInitializerCount(); i++) {
                OnnxMl.TensorProto b = before.getGraph().getInitializer(i);
                OnnxMl.TensorProto a = after.getGraph().getInitializer(i);
                assertThat(a.getName()).isEqualTo(b.getName());
                if (merged.containsKey(b.getName())) {
                    assertThat(a.getDimsList()).isEqualTo(b.getDimsList());
                    assertThat(a).as(b.getName() + " was trained").isNotEqualTo(b);
                } else {
                    assertThat(a).as(b.getName() + " untouched").isEqualTo(b);
                }
            }
        }
    }

    @Test
    void theLoadedVersionEmbedsBaseFeaturesTimesTheMergedWeights() {
        Map<String, Projection> merged = result.chosen().projections();
        String image = written.manifest().image().projections().get(0).initializer();
        String text = written.manifest().text().projections().get(0).initializer();
        BufferedImage picture = new BufferedImage(120, 90, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 90; y++) {
            for (int x = 0; x < 120; x++) {
                picture.setRGB(x, y, (x * 2) << 16 | (y * 2) << 8 | ((x + y) % 256));
            }
        }
        List<ImageInput> images = List.of(ImageInput.of(picture));
        List<TextInput> texts = List.of(TextInput.of("two small red circles at the top left", "search"));
        float[][] imageFeatures;
        float[][] textFeatures;
        try (EmbeddingRuntime base = EmbeddingRuntime.start(parent, RuntimeConfig.defaults().withWarmUp(false))) {
            imageFeatures = base.imageFeatures(images).features().get(image);
            textFeatures = base.textFeatures(texts).features().get(text);
        }
        try (EmbeddingRuntime trained = EmbeddingRuntime.start(store.open(written.ref()),
                RuntimeConfig.defaults().withWarmUp(false))) {
            assertClose(trained.embedImages(images).get(0).vector(), merged.get(image).embed(imageFeatures[0]));
            assertClose(trained.embedTexts(texts).get(0).vector(), merged.get(text).embed(textFeatures[0]));
            assertThat(trained.imageFeatures(images).features().get(image)[0])
                    .as("the frozen backbone is unchanged").containsExactly(imageFeatures[0], within(1e-6f));
        }
    }

    private static void assertClose(float[] actual, double[] expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("component " + i).isCloseTo(expected[i], within(2e-5));
        }
    }

    @Test
    void theReportIsWrittenNextToTheModel() throws Exception {
        TrainingReport report = TrainingReport.read(written.root());
        assertThat(report.version()).isEqualTo(2);
        assertThat(report.ingredients()).hasSize(2);
        assertThat(report.ingredients().get(0).loss()).hasSize(result.ingredients().get(0).run().history().size());
        assertThat(report.metrics()).containsKeys("recall@1.before", "recall@1.after", "recall@5.after",
                "recall@10.after", "t2i.q2c.recall@1.after", "t2i.c2q.recall@1.after", "loss");
        assertThat(report.history()).extracting(TrainingReport.RoundPoint::version).containsExactly(2);
        BufferedImage chart = ImageIO.read(written.file(TrainingReport.CHART_FILE).toFile());
        assertThat(chart.getWidth()).isEqualTo(ReportChart.WIDTH);
        assertThat(chart.getHeight()).isEqualTo(ReportChart.HEIGHT);
        int nonWhite = 0;
        for (int y = 0; y < chart.getHeight(); y += 3) {
            for (int x = 0; x < chart.getWidth(); x += 3) {
                nonWhite += (chart.getRGB(x, y) & 0xffffff) != 0xffffff ? 1 : 0;
            }
        }
        assertThat(nonWhite).as("something was drawn").isGreaterThan(1000);
    }
}
