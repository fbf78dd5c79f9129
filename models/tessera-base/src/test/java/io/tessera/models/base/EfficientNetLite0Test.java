package io.tessera.models.base;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.tessera.embedding.onnx.OnnxGraphs;
import io.tessera.models.base.EfficientNetLite0.Block;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EfficientNetLite0Test {

    @Test
    void derivesThePublishedLite0BlocksFromTheWeights() throws IOException {
        EfficientNetLite0.Architecture arch = EfficientNetLite0.architecture(TestAssets.stateDict());

        assertThat(arch.stemChannels()).isEqualTo(32);
        assertThat(arch.headChannels()).isEqualTo(1280);
        assertThat(arch.classes()).isEqualTo(1000);
        // Expand the published block strings (r1_k3_s11_e1_i32_o16, ...) into one row per block.
        List<String> expected = new ArrayList<>();
        int in = 32;
        for (int[] st : NaiveLite0.STAGES) {
            for (int r = 0; r < st[0]; r++) {
                expected.add("k" + st[1] + " s" + (r == 0 ? st[2] : 1) + " " + in + "->" + in * st[3] + "->" + st[4]);
                in = st[4];
            }
        }
        List<String> actual = arch.blocks().stream()
                .map(b -> "k" + b.kernel() + " s" + b.stride() + " " + b.inChannels() + "->" + b.expandedChannels()
                        + "->" + b.outChannels())
                .toList();
        assertThat(actual).containsExactlyElementsOf(expected);
        assertThat(arch.blocks().stream().filter(Block::residual).map(Block::index))
                .containsExactly(2, 4, 6, 7, 9, 10, 12, 13, 14);
    }

    @Test
    void padsLikeTensorFlowSame() {
        assertThat(EfficientNetLite0.samePadding(224, 3, 2)).containsExactly(0, 1);
        assertThat(EfficientNetLite0.samePadding(56, 5, 2)).containsExactly(1, 2);
        assertThat(EfficientNetLite0.samePadding(112, 3, 1)).containsExactly(1, 1);
        assertThat(EfficientNetLite0.samePadding(14, 5, 1)).containsExactly(2, 2);
        assertThat(EfficientNetLite0.samePadding(7, 1, 1)).containsExactly(0, 0);
    }

    @Test
    void theGraphHasFoldedBatchNormAndTheDeclaredSignature() throws IOException, OrtException {
        OnnxMl.ModelProto model = OnnxGraphs.parse(TestAssets.converted().model());

        assertThat(model.getOpsetImport(0).getVersion()).isEqualTo(17);
        List<String> ops = model.getGraph().getNodeList().stream().map(OnnxMl.NodeProto::getOpType).toList();
        assertThat(ops).doesNotContain("BatchNormalization");
        assertThat(ops.stream().filter("Conv"::equals)).hasSize(1 + 15 * 3 + 2 + 1);
        assertThat(ops.stream().filter("Add"::equals)).hasSize(9);
        OnnxGraphs.Signature sig = OnnxGraphs.signature(model);
        assertThat(sig.inputs()).containsExactly(EfficientNetLite0.INPUT);
        assertThat(sig.outputs()).containsExactly(EfficientNetLite0.FEATURES, EfficientNetLite0.LOGITS);

        OrtSession s = TestAssets.session();
        Map<String, NodeInfo> inputs = s.getInputInfo();
        assertThat(((TensorInfo) inputs.get("pixel_values").getInfo()).getShape()).containsExactly(-1, 3, 224, 224);
        assertThat(((TensorInfo) s.getOutputInfo().get("features").getInfo()).getShape()).containsExactly(-1, 1280);
        assertThat(((TensorInfo) s.getOutputInfo().get("logits").getInfo()).getShape()).containsExactly(-1, 1000);
    }

    @Test
    void onnxRuntimeMatchesANaiveForwardPassOverTheRawCheckpoint() throws IOException, OrtException {
        float[] pixels = EfficientNetLite0.preprocess(TestAssets.photo("chelsea.png"));

        TestAssets.Outputs ort = TestAssets.run(pixels, 1);
        long t0 = System.nanoTime();
        NaiveLite0.Output ref = new NaiveLite0(TestAssets.stateDict()).forward(pixels, EfficientNetLite0.IMAGE_SIZE);
        long naiveMs = (System.nanoTime() - t0) / 1_000_000;

        double featureError = TestAssets.relativeError(ort.features()[0], ref.features());
        double logitError = TestAssets.relativeError(ort.logits()[0], ref.logits());
        System.out.printf("naive reference (%d ms) vs ONNX Runtime: features max rel err %.2e, logits %.2e,"
                + " cosine %.8f%n", naiveMs, featureError, logitError,
                TestAssets.cosine(ort.features()[0], ref.features()));
        assertThat(featureError).isLessThan(1e-3);
        assertThat(logitError).isLessThan(1e-3);
        assertThat(TestAssets.topK(ort.logits()[0], 5)).containsExactly(TestAssets.topK(ref.logits(), 5));
    }

    @Test
    void aBatchGivesWhatEachImageGivesAlone() throws IOException, OrtException {
        float[] a = EfficientNetLite0.preprocess(TestAssets.photo("coffee.png"));
        float[] b = EfficientNetLite0.preprocess(TestAssets.photo("rocket.jpg"));
        float[] both = new float[a.length * 2];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);

        TestAssets.Outputs batch = TestAssets.run(both, 2);
        TestAssets.Outputs alone = TestAssets.run(b, 1);

        assertThat(TestAssets.relativeError(batch.features()[1], alone.features()[0])).isLessThan(1e-5);
        assertThat(TestAssets.relativeError(batch.logits()[1], alone.logits()[0])).isLessThan(1e-5);
    }

    @Test
    void theCommandLineWritesTheModelAndTheClassNames(@org.junit.jupiter.api.io.TempDir Path out)
            throws IOException, OrtException {
        EfficientNetLite0Converter.main(new String[] {"--wheel", TestAssets.efficientnetWheel().toString(),
                "--out", out.toString()});

        assertThat(out.resolve("image_model.onnx")).isRegularFile();
        assertThat(Files.size(out.resolve("image_model.onnx"))).isBetween(18_000_000L, 20_000_000L);
        assertThat(Files.readAllLines(out.resolve("imagenet_classes.txt"))).hasSize(1000).startsWith("tench");
        try (OrtSession s = TestAssets.newSession(out.resolve("image_model.onnx"), 1)) {
            assertThat(s.getOutputNames()).containsExactly("features", "logits");
            assertThat(s.getMetadata().getCustomMetadata()).containsKey("preprocessing");
        }
    }
}
