package io.tessera.models.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.tessera.embedding.Device;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.ImageInput;
import io.tessera.embedding.RuntimeConfig;
import io.tessera.embedding.TextInput;
import io.tessera.embedding.Tower;
import io.tessera.embedding.batch.BatcherConfig;
import io.tessera.embedding.model.LocalModelStore;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.model.ModelImporter;
import io.tessera.embedding.model.ModelManifest;
import io.tessera.embedding.model.ModelVersions;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real transformer architecture (CLIP ViT with random weights, Hugging Face export names) brought in through
 * {@link ModelImporter} in every layout a user meets: two tower files, one combined {@code model.onnx} (split on
 * import), weights as ONNX external data (how models over 2 GB ship) and an fp16 export. Each is served by the
 * runtime and gives the export's own embeddings, L2-normalised; the trainer's heads can be rewritten.
 */
class ClipImportTest {
    @TempDir
    static Path work;

    private static LocalModelStore store;
    private static Path towers;
    private static ModelDirectory imported;

    @BeforeAll
    static void importTowers() throws Exception {
        store = new LocalModelStore(work.resolve("store"));
        towers = work.resolve("export-towers");
        SyntheticClip.write(SyntheticClip.Spec.tiny(), SyntheticClip.Options.defaults(), towers);
        imported = ModelImporter.importInto(store, towers, ModelImporter.Options.named("clip-tiny")).directory();
    }

    private static RuntimeConfig cpu() {
        return RuntimeConfig.defaults().withDevice(Device.CPU).withThreads(1, 1)
                .withBatching(new BatcherConfig(8, Duration.ofMillis(2), 64, Duration.ofSeconds(5), 1));
    }

    private static BufferedImage picture(Color c) {
        BufferedImage img = new BufferedImage(300, 200, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 300, 200);
        g.setColor(c);
        g.fillOval(100, 50, 100, 100);
        g.dispose();
        return img;
    }

    private static float[][] embed(ModelDirectory d) {
        try (EmbeddingRuntime rt = EmbeddingRuntime.start(d, cpu())) {
            float[] red = rt.embedImages(List.of(ImageInput.of(picture(Color.RED)))).get(0).vector();
            float[] blue = rt.embedImages(List.of(ImageInput.of(picture(Color.BLUE)))).get(0).vector();
            float[] text = rt.embedTexts(List.of(TextInput.of("a photo of a red circle", null))).get(0).vector();
            return new float[][] {red, blue, text};
        }
    }

    @Test
    void importInfersAClipExport() {
        ModelManifest m = imported.manifest();
        assertThat(m.dimension()).isEqualTo(32);
        assertThat(m.image().input()).isEqualTo("pixel_values");
        assertThat(m.image().output()).isEqualTo("image_embeds");
        assertThat(m.image().poolingMode()).isEqualTo(ModelManifest.Pooling.NONE);
        assertThat(m.image().imageSize()).isEqualTo(224);
        assertThat(m.image().mean()).containsExactly(0.48145466, 0.4578275, 0.40821073);
        assertThat(m.text().output()).isEqualTo("text_embeds");
        assertThat(m.text().maxLength()).isEqualTo(77);
        assertThat(m.trainableProjections(Tower.IMAGE)).containsExactly("heads/image.safetensors");
        assertThat(m.trainableProjections(Tower.TEXT)).containsExactly("heads/text.safetensors");
        assertThat(m.files()).containsKeys("vision_model.onnx", "text_model.onnx", "tokenizer.json", "config.json",
                "preprocessor_config.json");
    }

    @Test
    void servedVectorsAreTheExportsOwnEmbeddingsNormalised() throws Exception {
        float[][] served = embed(imported);
        // The same text through ONNX Runtime directly: the runtime adds only the identity head and normalisation.
        try (EmbeddingRuntime rt = EmbeddingRuntime.start(imported, cpu())) {
            assertThat(norm(served[0])).isCloseTo(1.0, within(1e-5));
            assertThat(dot(served[0], served[1])).isLessThan(0.9999);
            var feats = rt.textFeatures(List.of(TextInput.of("a photo of a red circle", null))).features()
                    .get("heads/text.safetensors")[0];
            float[] direct = directTextEmbeds(towers.resolve("text_model.onnx"),
                    rt.instructedTexts(List.of(TextInput.of("a photo of a red circle", null))).get(0));
            assertThat(feats).containsExactly(direct, within(1e-4f));
            float[] normalised = direct.clone();
            scale(normalised, (float) (1 / norm(direct)));
            assertThat(served[2]).containsExactly(normalised, within(1e-4f));
        }
    }

    @Test
    void aCombinedModelOnnxIsSplitIntoTowersWithTheSameEmbeddings() throws Exception {
        Path combined = work.resolve("export-combined");
        SyntheticClip.write(SyntheticClip.Spec.tiny(), SyntheticClip.Options.defaults().withFiles(false, true),
                combined);
        assertThat(combined.resolve("vision_model.onnx")).doesNotExist();
        ModelDirectory d = ModelImporter.importInto(store, combined, ModelImporter.Options.named("clip-combined"))
                .directory();
        assertThat(d.manifest().files()).containsKeys("vision_model.onnx", "text_model.onnx");
        float[][] a = embed(imported);
        float[][] b = embed(d);
        for (int i = 0; i < a.length; i++) {
            assertThat(b[i]).containsExactly(a[i], within(1e-4f));
        }
    }

    @Test
    void externalDataIsCopiedSealedAndServed() throws Exception {
        Path ext = work.resolve("export-external");
        SyntheticClip.write(SyntheticClip.Spec.tiny(), SyntheticClip.Options.defaults().withExternalData(true), ext);
        ModelDirectory d = ModelImporter.importInto(store, ext, ModelImporter.Options.named("clip-external"))
                .directory();
        assertThat(d.manifest().files()).containsKeys("vision_model.onnx_data", "text_model.onnx_data");
        float[][] a = embed(imported);
        float[][] b = embed(d);
        for (int i = 0; i < a.length; i++) {
            assertThat(b[i]).containsExactly(a[i], within(1e-5f));
        }
        // A damaged external data file is caught by its checksum before anything loads.
        Path data = d.root().resolve("vision_model.onnx_data");
        data.toFile().setWritable(true);
        byte[] bytes = Files.readAllBytes(data);
        bytes[bytes.length / 2] ^= 1;
        Files.write(data, bytes);
        org.junit.jupiter.api.Assertions.assertThrows(io.tessera.embedding.model.ModelLoadException.class,
                () -> ModelDirectory.open(d.root()));
    }

    @Test
    void anFp16ExportRunsWithFloat16InputsAndOutputs() throws Exception {
        Path half = work.resolve("export-fp16");
        SyntheticClip.write(SyntheticClip.Spec.tiny(), SyntheticClip.Options.defaults().withFp16(true), half);
        ModelDirectory d = ModelImporter.importInto(store, half, ModelImporter.Options.named("clip-fp16"))
                .directory();
        float[][] a = embed(imported);
        float[][] b = embed(d);
        for (int i = 0; i < a.length; i++) {
            assertThat(dot(a[i], b[i])).isGreaterThan(0.999);
        }
    }

    @Test
    void theTrainersHeadsAreRewrittenWithoutTouchingTheBackbone() throws Exception {
        Map<String, ModelVersions.Weights> heads = ModelVersions.projections(imported);
        assertThat(heads).containsOnlyKeys("heads/image.safetensors", "heads/text.safetensors");
        float[] doubled = heads.get("heads/image.safetensors").values().clone();
        for (int i = 0; i < doubled.length; i += 33) {
            doubled[i] = -1; // flip the sign of the diagonal: every image vector is negated
        }
        ModelDirectory v2 = ModelVersions.derive(imported, 2, Map.of("heads/image.safetensors", doubled),
                work.resolve("v2"));
        assertThat(v2.manifest().files().get("vision_model.onnx"))
                .isEqualTo(imported.manifest().files().get("vision_model.onnx"));
        float[][] a = embed(imported);
        float[][] b = embed(v2);
        assertThat(dot(a[0], b[0])).isCloseTo(-1.0, within(1e-4));
        assertThat(b[2]).containsExactly(a[2], within(1e-6f));
    }

    private static float[] directTextEmbeds(Path graph, String text) throws Exception {
        io.tessera.embedding.internal.OfflineNatives.configure();
        try (var tok = ai.djl.huggingface.tokenizers.HuggingFaceTokenizer.newInstance(towers.resolve("tokenizer.json"))) {
            long[] ids = tok.encode(text).getIds();
            long[] mask = tok.encode(text).getAttentionMask();
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession s = env.createSession(graph.toString(), new OrtSession.SessionOptions());
                    OnnxTensor a = OnnxTensor.createTensor(env, new long[][] {ids});
                    OnnxTensor b = OnnxTensor.createTensor(env, new long[][] {mask});
                    OrtSession.Result r = s.run(Map.of("input_ids", a, "attention_mask", b))) {
                return ((float[][]) r.get("text_embeds").orElseThrow().getValue())[0];
            }
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    private static double norm(float[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static void scale(float[] a, float f) {
        for (int i = 0; i < a.length; i++) {
            a[i] *= f;
        }
    }
}
