package io.tessera.models.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.tessera.embedding.internal.OfflineNatives;
import io.tessera.embedding.onnx.OnnxGraphs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tiny synthetic CLIP in every variant, run through ONNX Runtime and checked against a reference. */
class SyntheticClipTest {
    private static final SyntheticClip.Spec TINY = SyntheticClip.Spec.tiny();
    private static final int P = TINY.projectionDim();
    private static final int S = TINY.imageSize();

    @TempDir
    static Path work;

    private static OrtEnvironment env;
    private static Path plain;
    private static final Map<String, OrtSession> SESSIONS = new HashMap<>();

    @BeforeAll
    static void generate() throws IOException {
        OfflineNatives.configure();
        env = OrtEnvironment.getEnvironment();
        plain = work.resolve("plain");
        SyntheticClip.write(TINY, SyntheticClip.Options.defaults(), plain);
    }

    @AfterAll
    static void close() throws OrtException {
        for (OrtSession s : SESSIONS.values()) {
            s.close();
        }
    }

    /** One session per file, loaded from its path (external data is resolved relative to it). */
    private static OrtSession session(Path file) throws OrtException {
        OrtSession s = SESSIONS.get(file.toString());
        if (s == null) {
            try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                o.setIntraOpNumThreads(1);
                s = env.createSession(file.toString(), o);
            }
            SESSIONS.put(file.toString(), s);
        }
        return s;
    }

    // ---------------------------------------------------------------- vision

    @Test
    void visionTowerEmbedsABatchAndEachImageAlikeAloneOrBatched() throws Exception {
        float[] images = randomImages(2, 1);
        Map<String, float[][]> out = runVision(session(plain.resolve(SyntheticClip.VISION_FILE)), images, 2, false);
        float[][] embeds = out.get("image_embeds");
        assertThat(embeds).hasDimensions(2, P);
        assertFinite(embeds);
        assertThat(maxAbsDiff(embeds[0], embeds[1])).as("two different images").isGreaterThan(1e-3);
        assertThat(out.get("last_hidden_state")).hasNumberOfRows(2);
        assertThat(out.get("last_hidden_state")[0]).hasSize(TINY.visionTokens() * TINY.visionWidth());

        float[][] alone = runVision(session(plain.resolve(SyntheticClip.VISION_FILE)),
                Arrays.copyOf(images, 3 * S * S), 1, false).get("image_embeds");
        assertThat(maxAbsDiff(alone[0], embeds[0])).as("batch of 1 vs the same image in a batch of 2")
                .isLessThan(1e-4);
    }

    @Test
    void visionTowerMatchesAPlainJavaForwardPass() throws Exception {
        float[] images = randomImages(2, 7);
        Map<String, float[][]> ort = runVision(session(plain.resolve(SyntheticClip.VISION_FILE)), images, 2, false);
        ReferenceVision reference = ReferenceVision.load(TINY, plain.resolve(SyntheticClip.VISION_FILE));
        for (int b = 0; b < 2; b++) {
            ReferenceVision.Output expected = reference.forward(
                    Arrays.copyOfRange(images, b * 3 * S * S, (b + 1) * 3 * S * S));
            double[] embeds = expected.imageEmbeds();
            for (int i = 0; i < P; i++) {
                assertThat((double) ort.get("image_embeds")[b][i]).as("image %d, image_embeds[%d]", b, i)
                        .isCloseTo(embeds[i], within(1e-4));
            }
            double[][] hidden = expected.lastHiddenState();
            int width = TINY.visionWidth();
            for (int t = 0; t < hidden.length; t++) {
                for (int i = 0; i < width; i++) {
                    assertThat((double) ort.get("last_hidden_state")[b][t * width + i])
                            .as("image %d, last_hidden_state[%d][%d]", b, t, i).isCloseTo(hidden[t][i], within(1e-4));
                }
            }
        }
    }

    // ---------------------------------------------------------------- tokenizer and text

    @Test
    void tokenizerJsonLoadsInDjlAndWrapsTextInStartAndEndOfText() throws Exception {
        ClipTokenizer expected = ClipTokenizer.forVocabSize(TINY.vocabSize());
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(plain.resolve("tokenizer.json"))) {
            Encoding e = tokenizer.encode("A photo  of a\tCat");
            List<String> tokens = List.of(e.getTokens());
            long[] ids = e.getIds();
            List<String> words = new ArrayList<>();
            words.add(ClipTokenizer.BOS);
            for (String w : List.of("a", "photo", "of", "a", "cat")) {
                words.addAll(expected.encodeWord(w));
            }
            words.add(ClipTokenizer.EOS);
            assertThat(tokens).as("the BPE merges applied as the Java trainer learned them").isEqualTo(words);
            assertThat(tokens).contains("photo</w>", "cat</w>");
            assertThat(ids[0]).isEqualTo(TINY.vocabSize() - 2);
            assertThat(ids[ids.length - 1]).isEqualTo(TINY.vocabSize() - 1);
            assertThat(Arrays.stream(ids).max().orElseThrow()).isEqualTo(TINY.vocabSize() - 1);
            // Characters the merges never saw still tokenize (byte-level: no unknown token).
            long[] odd = tokenizer.encode("Zürich 42 ✓").getIds();
            assertThat(odd).hasSizeGreaterThan(6);
            assertThat(Arrays.stream(odd, 1, odd.length - 1).max().orElseThrow()).isLessThan(TINY.vocabSize() - 2);
        }
    }

    @Test
    void vitB32TokenizerKeepsClipsSpecialIdsDespiteTheUnusedRange() throws Exception {
        ClipTokenizer t = ClipTokenizer.forVocabSize(49408);
        Path file = work.resolve("vit-b-32-tokenizer.json");
        Files.writeString(file, new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
                t.tokenizerJson(77)));
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(file)) {
            long[] ids = tokenizer.encode("a photo of a cat").getIds();
            assertThat(ids[0]).isEqualTo(49406);
            assertThat(ids[ids.length - 1]).isEqualTo(49407);
        }
    }

    @Test
    void textTowerEmbedsPaddedBatchesAndPoolsAtTheEndOfText() throws Exception {
        OrtSession text = session(plain.resolve(SyntheticClip.TEXT_FILE));
        String shortText = "a photo of a cat";
        String longText = "a black and white photograph of two dogs playing in the snow next to a red car";
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder()
                .optTokenizerPath(plain.resolve("tokenizer.json")).optPadding(true).build()) {
            Encoding[] both = tokenizer.batchEncode(List.of(shortText, longText));
            Encoding alone = tokenizer.encode(shortText);
            int length = both[1].getIds().length;
            assertThat(both[0].getIds()).hasSize(length);
            assertThat(alone.getIds().length).isLessThan(length);
            // DJL pads with the pad token of tokenizer.json: <|endoftext|>, mask 0.
            assertThat(both[0].getIds()[length - 1]).isEqualTo(TINY.vocabSize() - 1);
            assertThat(both[0].getAttentionMask()[length - 1]).isZero();

            float[][] batch = runText(text, ids(both), masks(both), 2).get("text_embeds");
            float[][] single = runText(text, ids(alone), masks(alone), 1).get("text_embeds");
            assertThat(batch).hasDimensions(2, P);
            assertFinite(batch);
            assertThat(maxAbsDiff(batch[0], batch[1])).as("two different texts").isGreaterThan(1e-3);
            assertThat(maxAbsDiff(batch[0], single[0])).as("alone vs padded in a batch").isLessThan(1e-4);
        }
    }

    @Test
    void textTowerIsCausalAndIgnoresMaskedTokens() throws Exception {
        OrtSession text = session(plain.resolve(SyntheticClip.TEXT_FILE));
        int width = TINY.textWidth();
        long eos = TINY.vocabSize() - 1;
        long[] ids = {eos - 1, 320, 321, 17, 400, 55, eos};
        int n = ids.length;
        long[] ones = new long[n];
        Arrays.fill(ones, 1);
        float[] before = runText(text, ids, ones, 1).get("last_hidden_state")[0];

        // Causal: changing token 3 changes nothing before it, and does change what follows.
        long[] changed = ids.clone();
        changed[3] = 250;
        float[] after = runText(text, changed, ones, 1).get("last_hidden_state")[0];
        for (int t = 0; t < n; t++) {
            double diff = maxAbsDiff(Arrays.copyOfRange(before, t * width, (t + 1) * width),
                    Arrays.copyOfRange(after, t * width, (t + 1) * width));
            if (t < 3) {
                assertThat(diff).as("position %d before the change", t).isLessThan(1e-6);
            } else {
                assertThat(diff).as("position %d from the change on", t).isGreaterThan(1e-4);
            }
        }

        // Padding mask: a token with attention_mask 0 is seen by no other position.
        long[] mask = ones.clone();
        mask[3] = 0;
        float[] maskedA = runText(text, ids, mask, 1).get("last_hidden_state")[0];
        float[] maskedB = runText(text, changed, mask, 1).get("last_hidden_state")[0];
        for (int t = 0; t < n; t++) {
            if (t == 3) {
                continue; // its own residual stream still carries its embedding
            }
            assertThat(maxAbsDiff(Arrays.copyOfRange(maskedA, t * width, (t + 1) * width),
                    Arrays.copyOfRange(maskedB, t * width, (t + 1) * width)))
                    .as("position %d with token 3 masked out", t).isLessThan(1e-6);
        }
    }

    // ---------------------------------------------------------------- variants

    @Test
    void externalDataLoadsFromTheFilePathAndComputesTheSame() throws Exception {
        Path dir = work.resolve("external");
        SyntheticClip.write(TINY, SyntheticClip.Options.defaults().withExternalData(true), dir);
        Path vision = dir.resolve(SyntheticClip.VISION_FILE);
        assertThat(dir.resolve("vision_model.onnx_data")).exists();
        assertThat(dir.resolve("text_model.onnx_data")).exists();
        assertThat(Files.size(vision)).isLessThan(Files.size(dir.resolve("vision_model.onnx_data")) / 10);

        OnnxMl.TensorProto conv = OnnxGraphs.parse(vision).getGraph().getInitializerList().stream()
                .filter(t -> t.getName().equals("vision_model.embeddings.patch_embedding.weight")).findFirst()
                .orElseThrow();
        assertThat(conv.getDataLocation()).isEqualTo(OnnxMl.TensorProto.DataLocation.EXTERNAL);
        assertThat(conv.getExternalDataList()).extracting(OnnxMl.StringStringEntryProto::getKey)
                .containsExactly("location", "offset", "length");
        assertThat(conv.getExternalData(0).getValue()).isEqualTo("vision_model.onnx_data");

        float[] images = randomImages(2, 3);
        float[][] expected = runVision(session(plain.resolve(SyntheticClip.VISION_FILE)), images, 2, false)
                .get("image_embeds");
        float[][] actual = runVision(session(vision), images, 2, false).get("image_embeds");
        assertThat(maxAbsDiff(actual, expected)).isLessThan(1e-6);

        long[] ids = {TINY.vocabSize() - 2, 320, 400, TINY.vocabSize() - 1};
        long[] mask = {1, 1, 1, 1};
        assertThat(maxAbsDiff(runText(session(dir.resolve(SyntheticClip.TEXT_FILE)), ids, mask, 1).get("text_embeds"),
                runText(session(plain.resolve(SyntheticClip.TEXT_FILE)), ids, mask, 1).get("text_embeds")))
                .isLessThan(1e-6);
    }

    @Test
    void fp16VariantTakesAndGivesFloat16CloseToFloat32() throws Exception {
        Path dir = work.resolve("fp16");
        SyntheticClip.write(TINY, SyntheticClip.Options.defaults().withFp16(true).withExternalData(true), dir);
        OrtSession vision = session(dir.resolve(SyntheticClip.VISION_FILE));
        assertThat(vision.getInputInfo().get("pixel_values").getInfo().toString()).contains("FLOAT16");
        assertThat(vision.getOutputInfo().get("image_embeds").getInfo().toString()).contains("FLOAT16");
        assertThat(Files.size(dir.resolve("vision_model.onnx_data")))
                .isLessThan(Files.size(plain.resolve(SyntheticClip.VISION_FILE)) / 2 + 4096);

        float[] images = randomImages(2, 5);
        float[][] half = runVision(vision, images, 2, true).get("image_embeds");
        float[][] full = runVision(session(plain.resolve(SyntheticClip.VISION_FILE)), images, 2, false)
                .get("image_embeds");
        assertFinite(half);
        assertThat(maxAbsDiff(half, full)).isLessThan(1e-2);

        long[] ids = {TINY.vocabSize() - 2, 320, 400, 17, TINY.vocabSize() - 1};
        long[] mask = {1, 1, 1, 1, 1};
        float[][] textHalf = runText(session(dir.resolve(SyntheticClip.TEXT_FILE)), ids, mask, 1).get("text_embeds");
        float[][] textFull = runText(session(plain.resolve(SyntheticClip.TEXT_FILE)), ids, mask, 1).get("text_embeds");
        assertThat(maxAbsDiff(textHalf, textFull)).isLessThan(1e-2);
    }

    @Test
    void combinedModelGivesTheTowersNormalisedEmbeddingsAndClipLogits() throws Exception {
        Path dir = work.resolve("combined");
        SyntheticClip.Result r = SyntheticClip.write(TINY, SyntheticClip.Options.defaults().withFiles(false, true),
                dir);
        assertThat(r.files()).contains(SyntheticClip.COMBINED_FILE).doesNotContain(SyntheticClip.VISION_FILE);
        assertThat(r.parameterCount()).isEqualTo(TINY.parameterCount());
        OrtSession model = session(dir.resolve(SyntheticClip.COMBINED_FILE));
        assertThat(model.getInputNames()).containsExactly("input_ids", "pixel_values", "attention_mask");
        assertThat(model.getOutputNames())
                .containsExactly("logits_per_image", "logits_per_text", "text_embeds", "image_embeds");

        float[] images = randomImages(2, 11);
        long eos = TINY.vocabSize() - 1;
        long[] ids = {eos - 1, 320, 400, 17, eos, eos - 1, 55, eos, eos, eos, eos - 1, 250, 251, 252, eos};
        long[] mask = {1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1};
        Map<String, float[][]> out;
        try (OnnxTensor pixels = OnnxTensor.createTensor(env, FloatBuffer.wrap(images), new long[] {2, 3, S, S});
                OnnxTensor idT = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {3, 5});
                OnnxTensor maskT = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), new long[] {3, 5});
                OrtSession.Result res = model.run(Map.of("input_ids", idT, "pixel_values", pixels,
                        "attention_mask", maskT))) {
            out = rows(res, false);
        }
        float[][] image = normalise(runVision(session(plain.resolve(SyntheticClip.VISION_FILE)), images, 2, false)
                .get("image_embeds"));
        float[][] text = normalise(runText(session(plain.resolve(SyntheticClip.TEXT_FILE)), ids, mask, 3)
                .get("text_embeds"));
        assertThat(maxAbsDiff(out.get("image_embeds"), image)).isLessThan(1e-5);
        assertThat(maxAbsDiff(out.get("text_embeds"), text)).isLessThan(1e-5);
        double scale = Math.exp(2.6592);
        assertThat(out.get("logits_per_image")).hasDimensions(2, 3);
        assertThat(out.get("logits_per_text")).hasDimensions(3, 2);
        for (int i = 0; i < 2; i++) {
            for (int t = 0; t < 3; t++) {
                double cos = 0;
                for (int k = 0; k < P; k++) {
                    cos += image[i][k] * text[t][k];
                }
                assertThat((double) out.get("logits_per_image")[i][t]).isCloseTo(scale * cos, within(1e-3));
                assertThat(out.get("logits_per_text")[t][i]).isEqualTo(out.get("logits_per_image")[i][t]);
            }
        }
    }

    @Test
    void sameSpecAndSeedGiveByteIdenticalFiles() throws Exception {
        for (SyntheticClip.Options options : List.of(SyntheticClip.Options.defaults(),
                SyntheticClip.Options.defaults().withExternalData(true).withFp16(true).withFiles(true, true))) {
            Path a = work.resolve("determinism-a");
            Path b = work.resolve("determinism-b");
            SyntheticClip.Result ra = SyntheticClip.write(TINY, options, a);
            SyntheticClip.Result rb = SyntheticClip.write(TINY, options, b);
            assertThat(ra.files()).isEqualTo(rb.files());
            for (String f : ra.files()) {
                assertThat(Files.mismatch(a.resolve(f), b.resolve(f))).as(f).isEqualTo(-1L);
            }
        }
        Path other = work.resolve("other-seed");
        SyntheticClip.write(TINY, SyntheticClip.Options.defaults().withSeed(1), other);
        assertThat(Files.mismatch(other.resolve(SyntheticClip.VISION_FILE), plain.resolve(SyntheticClip.VISION_FILE)))
                .isNotEqualTo(-1L);
    }

    @Test
    void sideFilesAreTheHuggingFaceOnes() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var config = json.readTree(plain.resolve(SyntheticClip.CONFIG_FILE).toFile());
        assertThat(config.path("model_type").asText()).isEqualTo("clip");
        assertThat(config.path("projection_dim").asInt()).isEqualTo(P);
        assertThat(config.path("text_config").path("eos_token_id").asInt()).isEqualTo(TINY.vocabSize() - 1);
        assertThat(config.path("text_config").path("vocab_size").asInt()).isEqualTo(TINY.vocabSize());
        assertThat(config.path("vision_config").path("patch_size").asInt()).isEqualTo(32);
        var pre = json.readTree(plain.resolve(SyntheticClip.PREPROCESSOR_FILE).toFile());
        assertThat(pre.path("crop_size").path("height").asInt()).isEqualTo(224);
        assertThat(pre.path("size").path("shortest_edge").asInt()).isEqualTo(224);
        assertThat(pre.path("image_mean").get(0).asDouble()).isEqualTo(0.48145466);
        assertThat(pre.path("image_processor_type").asText()).isEqualTo("CLIPImageProcessor");
        assertThat(plain.resolve("tessera-model.json")).doesNotExist();
    }

    @Test
    void parameterCountsAreClips() {
        // openai/clip-vit-base-patch32 has 151,277,313 parameters.
        assertThat(SyntheticClip.Spec.vitB32().parameterCount()).isEqualTo(151_277_313L);
        assertThat(SyntheticClip.Spec.vitB32().visionTokens()).isEqualTo(50);
        long generated = ClipGraphs.visionModel(TINY, 0, false).parameterCount()
                + ClipGraphs.textModel(TINY, 0, false).parameterCount();
        assertThat(generated + 1).isEqualTo(TINY.parameterCount());
    }

    // ---------------------------------------------------------------- helpers

    /** n images [3, S, S], values in [-2, 2] like normalised pixels. */
    private static float[] randomImages(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n * 3 * S * S];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() * 4 - 2);
        }
        return v;
    }

    private static Map<String, float[][]> runVision(OrtSession session, float[] images, int n, boolean fp16)
            throws OrtException {
        long[] shape = {n, 3, S, S};
        OnnxTensor pixels;
        if (fp16) {
            ByteBuffer half = ByteBuffer.allocateDirect(images.length * 2).order(ByteOrder.nativeOrder());
            for (float f : images) {
                half.putShort(Float.floatToFloat16(f));
            }
            half.rewind();
            pixels = OnnxTensor.createTensor(env, half, shape, OnnxJavaType.FLOAT16);
        } else {
            pixels = OnnxTensor.createTensor(env, FloatBuffer.wrap(images), shape);
        }
        try (pixels; OrtSession.Result r = session.run(Map.of("pixel_values", pixels))) {
            return rows(r, fp16);
        }
    }

    private static Map<String, float[][]> runText(OrtSession session, long[] ids, long[] mask, int n)
            throws OrtException {
        long[] shape = {n, ids.length / n};
        try (OnnxTensor idT = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
                OnnxTensor maskT = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
                OrtSession.Result r = session.run(Map.of("input_ids", idT, "attention_mask", maskT))) {
            return rows(r, false);
        }
    }

    /** Every output as rows: [first dimension][everything else flattened], float16 converted. */
    private static Map<String, float[][]> rows(OrtSession.Result r, boolean fp16) throws OrtException {
        Map<String, float[][]> out = new HashMap<>();
        for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : r) {
            OnnxTensor t = (OnnxTensor) e.getValue();
            long[] shape = t.getInfo().getShape();
            float[] flat;
            if (fp16) {
                ShortBuffer s = t.getShortBuffer();
                flat = new float[s.remaining()];
                for (int i = 0; i < flat.length; i++) {
                    flat[i] = Float.float16ToFloat(s.get(i));
                }
            } else {
                FloatBuffer f = t.getFloatBuffer();
                flat = new float[f.remaining()];
                f.get(flat);
            }
            int rows = (int) shape[0];
            int cols = flat.length / rows;
            float[][] m = new float[rows][];
            for (int i = 0; i < rows; i++) {
                m[i] = Arrays.copyOfRange(flat, i * cols, (i + 1) * cols);
            }
            out.put(e.getKey(), m);
        }
        return out;
    }

    private static long[] ids(Encoding... encodings) {
        return Arrays.stream(encodings).flatMapToLong(e -> Arrays.stream(e.getIds())).toArray();
    }

    private static long[] masks(Encoding... encodings) {
        return Arrays.stream(encodings).flatMapToLong(e -> Arrays.stream(e.getAttentionMask())).toArray();
    }

    private static float[][] normalise(float[][] m) {
        float[][] out = new float[m.length][];
        for (int i = 0; i < m.length; i++) {
            double norm = 0;
            for (float v : m[i]) {
                norm += v * v;
            }
            out[i] = new float[m[i].length];
            for (int k = 0; k < m[i].length; k++) {
                out[i][k] = (float) (m[i][k] / Math.sqrt(norm));
            }
        }
        return out;
    }

    private static void assertFinite(float[][] m) {
        for (float[] row : m) {
            for (float v : row) {
                assertThat(Float.isFinite(v)).isTrue();
            }
        }
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static double maxAbsDiff(float[][] a, float[][] b) {
        assertThat(a.length).isEqualTo(b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, maxAbsDiff(a[i], b[i]));
        }
        return max;
    }
}
