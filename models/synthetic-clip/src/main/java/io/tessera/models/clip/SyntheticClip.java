package io.tessera.models.clip;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tessera.embedding.onnx.OnnxGraphBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generates a CLIP-architecture model with random (seeded, deterministic) weights as the directory a user gets
 * from exporting {@code openai/clip-vit-base-patch32} to ONNX with Hugging Face Optimum / transformers.js: the
 * towers {@code vision_model.onnx} and {@code text_model.onnx} (and/or the combined {@code model.onnx}),
 * {@code config.json}, {@code preprocessor_config.json} and the tokenizer files. It exists so tests and benchmarks
 * can run a real transformer through the runtime without downloading anything; the embeddings mean nothing.
 *
 * <p>Graphs (opset 17, see {@link ClipGraphs} for the ops):
 * <ul>
 *   <li>{@code vision_model.onnx}: {@code pixel_values} float [batch_size, 3, S, S] -> {@code image_embeds}
 *       [batch_size, P] (not normalised) and {@code last_hidden_state} [batch_size, 1 + (S/patch)², W]</li>
 *   <li>{@code text_model.onnx}: {@code input_ids}, {@code attention_mask} int64 [batch_size, sequence_length]
 *       -> {@code text_embeds} [batch_size, P] (not normalised) and {@code last_hidden_state}
 *       [batch_size, sequence_length, W]</li>
 *   <li>{@code model.onnx}: {@code input_ids}, {@code pixel_values}, {@code attention_mask} ->
 *       {@code logits_per_image}, {@code logits_per_text}, {@code text_embeds}, {@code image_embeds}
 *       (normalised, as CLIPModel returns them)</li>
 * </ul>
 *
 * <p>The same spec and options give byte-identical files. Large models are streamed to disk
 * ({@link OnnxStreamWriter}): ViT-B/32 needs well under a gigabyte of heap.
 *
 * <p>Command line: {@code SyntheticClip --size tiny|vit-b-32 --out DIR [--external-data] [--fp16]
 * [--combined [--towers]] [--seed N]}.
 */
public final class SyntheticClip {
    public static final String VISION_FILE = "vision_model.onnx";
    public static final String TEXT_FILE = "text_model.onnx";
    public static final String COMBINED_FILE = "model.onnx";
    public static final String TOKENIZER_FILE = "tokenizer.json";
    public static final String CONFIG_FILE = "config.json";
    public static final String PREPROCESSOR_FILE = "preprocessor_config.json";

    public static final long DEFAULT_SEED = 0;

    static final double[] IMAGE_MEAN = {0.48145466, 0.4578275, 0.40821073};
    static final double[] IMAGE_STD = {0.26862954, 0.26130258, 0.27577711};

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            // Sorted keys: the files must be byte-identical from run to run.
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private SyntheticClip() {}

    /**
     * The architecture. The MLP is 4x the width and LayerNorm's epsilon 1e-5, as in every CLIP.
     *
     * @param name a label, recorded in config.json
     * @param imageSize S, the square input size in pixels
     * @param patchSize side of the square patches (a divisor of S)
     * @param visionWidth W of the vision transformer
     * @param textWidth W of the text transformer
     * @param contextLength max_position_embeddings of the text tower (CLIP: 77)
     * @param vocabSize token embeddings; the tokenizer puts its special tokens at the last two ids
     * @param projectionDim P, the shared embedding size
     */
    public record Spec(String name, int imageSize, int patchSize, int visionWidth, int visionLayers,
            int visionHeads, int textWidth, int textLayers, int textHeads, int contextLength, int vocabSize,
            int projectionDim) {
        public Spec {
            if (imageSize % patchSize != 0) {
                throw new IllegalArgumentException("patch size " + patchSize + " does not divide " + imageSize);
            }
            if (visionWidth % visionHeads != 0 || textWidth % textHeads != 0) {
                throw new IllegalArgumentException("a width is not a multiple of its number of heads");
            }
            if (vocabSize < ClipTokenizer.naturalVocabSize()) {
                throw new IllegalArgumentException("vocab size " + vocabSize + " < the tokenizer's "
                        + ClipTokenizer.naturalVocabSize());
            }
        }

        /** A small CLIP for tests: 224 px, patch 32, width 64, 2 layers, 4 heads; the tokenizer's own vocab. */
        public static Spec tiny() {
            return new Spec("tiny", 224, 32, 64, 2, 4, 64, 2, 4, 77, ClipTokenizer.naturalVocabSize(), 32);
        }

        /** openai/clip-vit-base-patch32's sizes (151,277,313 parameters, about 605 MB as float32). */
        public static Spec vitB32() {
            return new Spec("vit-b-32", 224, 32, 768, 12, 12, 512, 12, 8, 77, 49408, 512);
        }

        /** Sequence length of the vision tower: the class token and one token per patch. */
        public int visionTokens() {
            int grid = imageSize / patchSize;
            return grid * grid + 1;
        }

        public long visionParameters() {
            long w = visionWidth;
            return w * 3 * patchSize * patchSize // patch_embedding (no bias)
                    + w // class_embedding
                    + (long) visionTokens() * w // position_embedding
                    + 2 * w // pre_layrnorm
                    + visionLayers * layerParameters(w)
                    + 2 * w // post_layernorm
                    + w * projectionDim; // visual_projection (no bias)
        }

        public long textParameters() {
            long w = textWidth;
            return (long) vocabSize * w + (long) contextLength * w
                    + textLayers * layerParameters(w)
                    + 2 * w // final_layer_norm
                    + w * projectionDim; // text_projection (no bias)
        }

        /** Both towers and logit_scale: what CLIPModel's state_dict holds (minus the position_ids buffers). */
        public long parameterCount() {
            return visionParameters() + textParameters() + 1;
        }

        private static long layerParameters(long w) {
            return 4 * (w * w + w) // q, k, v, out projections with bias
                    + 2 * 2 * w // layer_norm1, layer_norm2
                    + (w * 4 * w + 4 * w) + (4 * w * w + w); // fc1, fc2
        }
    }

    /**
     * How the directory is written.
     *
     * @param seed seed of every weight (the same seed gives the same weights in every variant)
     * @param externalData tensors of 1 KiB and more go to {@code <file>_data} beside each .onnx
     * @param fp16 weights, pixel_values and the float outputs in float16 (computation in float32, as ONNX
     *     Runtime's CPU provider needs)
     * @param towers write vision_model.onnx and text_model.onnx
     * @param combined write model.onnx
     */
    public record Options(long seed, boolean externalData, boolean fp16, boolean towers, boolean combined) {
        public Options {
            if (!towers && !combined) {
                throw new IllegalArgumentException("nothing to write: neither towers nor the combined model");
            }
        }

        /** The two towers, float32, weights inline, seed {@link #DEFAULT_SEED}. */
        public static Options defaults() {
            return new Options(DEFAULT_SEED, false, false, true, false);
        }

        public Options withSeed(long value) {
            return new Options(value, externalData, fp16, towers, combined);
        }

        public Options withExternalData(boolean value) {
            return new Options(seed, value, fp16, towers, combined);
        }

        public Options withFp16(boolean value) {
            return new Options(seed, externalData, value, towers, combined);
        }

        /** Which model files: the towers, the combined model.onnx, or both. */
        public Options withFiles(boolean writeTowers, boolean writeCombined) {
            return new Options(seed, externalData, fp16, writeTowers, writeCombined);
        }
    }

    /**
     * What {@link #write} produced.
     *
     * @param files names of the files written, in order
     * @param parameterCount parameters in the written graph(s): the towers hold all but logit_scale, which only
     *     the combined model has
     * @param bytes total size of the files
     */
    public record Result(Path dir, List<String> files, long parameterCount, long bytes, long millis) {}

    /** Writes the model directory, creating it if needed and overwriting the files it writes. */
    public static Result write(Spec spec, Options options, Path dir) throws IOException {
        long t0 = System.nanoTime();
        Files.createDirectories(dir);
        List<String> files = new java.util.ArrayList<>();
        long parameters = 0;
        if (options.towers()) {
            parameters = writeModel(ClipGraphs.visionModel(spec, options.seed(), options.fp16()), options,
                    dir.resolve(VISION_FILE), files)
                    + writeModel(ClipGraphs.textModel(spec, options.seed(), options.fp16()), options,
                    dir.resolve(TEXT_FILE), files);
        }
        if (options.combined()) {
            parameters = writeModel(ClipGraphs.combinedModel(spec, options.seed(), options.fp16()), options,
                    dir.resolve(COMBINED_FILE), files);
        }

        ClipTokenizer tokenizer = ClipTokenizer.forVocabSize(spec.vocabSize());
        writeJson(dir, TOKENIZER_FILE, tokenizer.tokenizerJson(spec.contextLength()), files);
        writeJson(dir, "vocab.json", tokenizer.vocab(), files);
        Files.writeString(dir.resolve("merges.txt"), tokenizer.mergesTxt(), StandardCharsets.UTF_8);
        files.add("merges.txt");
        writeJson(dir, "tokenizer_config.json", tokenizer.tokenizerConfig(spec.contextLength()), files);
        writeJson(dir, "special_tokens_map.json", tokenizer.specialTokensMap(), files);
        writeJson(dir, PREPROCESSOR_FILE, preprocessorConfig(spec), files);
        writeJson(dir, CONFIG_FILE, config(spec, options, tokenizer), files);

        long bytes = 0;
        for (String f : files) {
            bytes += Files.size(dir.resolve(f));
        }
        return new Result(dir, List.copyOf(files), parameters, bytes, (System.nanoTime() - t0) / 1_000_000);
    }

    private static long writeModel(ClipGraphs.Built built, Options options, Path file, List<String> files)
            throws IOException {
        OnnxStreamWriter.write(built.skeleton(), built.tensors(),
                options.fp16() ? ClipGraphs.FLOAT16 : OnnxGraphBuilder.FLOAT,
                options.externalData() ? OnnxStreamWriter.Storage.EXTERNAL : OnnxStreamWriter.Storage.INLINE,
                file);
        files.add(file.getFileName().toString());
        if (options.externalData()) {
            files.add(file.getFileName() + "_data");
        }
        return built.parameterCount();
    }

    private static void writeJson(Path dir, String name, Object value, List<String> files) throws IOException {
        Files.writeString(dir.resolve(name), JSON.writeValueAsString(value) + "\n", StandardCharsets.UTF_8);
        files.add(name);
    }

    /** preprocessor_config.json as CLIPImageProcessor.save_pretrained writes it. */
    static Map<String, Object> preprocessorConfig(Spec spec) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("crop_size", Map.of("height", spec.imageSize(), "width", spec.imageSize()));
        c.put("do_center_crop", true);
        c.put("do_convert_rgb", true);
        c.put("do_normalize", true);
        c.put("do_rescale", true);
        c.put("do_resize", true);
        c.put("image_mean", IMAGE_MEAN);
        c.put("image_processor_type", "CLIPImageProcessor");
        c.put("image_std", IMAGE_STD);
        c.put("resample", 3);
        c.put("rescale_factor", 0.00392156862745098);
        c.put("size", Map.of("shortest_edge", spec.imageSize()));
        return c;
    }

    /**
     * config.json as transformers' CLIPConfig writes it. Unlike openai's own file (whose text_config still says
     * bos 0 / eos 2 / pad 1, which transformers special-cases), the special token ids here are the real ones.
     */
    static Map<String, Object> config(Spec spec, Options options, ClipTokenizer tokenizer) {
        Map<String, Object> text = new LinkedHashMap<>();
        text.put("attention_dropout", 0.0);
        text.put("bos_token_id", tokenizer.bosId());
        text.put("dropout", 0.0);
        text.put("eos_token_id", tokenizer.eosId());
        text.put("hidden_act", "quick_gelu");
        text.put("hidden_size", spec.textWidth());
        text.put("initializer_factor", 1.0);
        text.put("initializer_range", 0.02);
        text.put("intermediate_size", 4 * spec.textWidth());
        text.put("layer_norm_eps", ClipGraphs.LAYER_NORM_EPS);
        text.put("max_position_embeddings", spec.contextLength());
        text.put("model_type", "clip_text_model");
        text.put("num_attention_heads", spec.textHeads());
        text.put("num_hidden_layers", spec.textLayers());
        text.put("pad_token_id", tokenizer.eosId());
        text.put("projection_dim", spec.projectionDim());
        text.put("vocab_size", spec.vocabSize());

        Map<String, Object> vision = new LinkedHashMap<>();
        vision.put("attention_dropout", 0.0);
        vision.put("dropout", 0.0);
        vision.put("hidden_act", "quick_gelu");
        vision.put("hidden_size", spec.visionWidth());
        vision.put("image_size", spec.imageSize());
        vision.put("initializer_factor", 1.0);
        vision.put("initializer_range", 0.02);
        vision.put("intermediate_size", 4 * spec.visionWidth());
        vision.put("layer_norm_eps", ClipGraphs.LAYER_NORM_EPS);
        vision.put("model_type", "clip_vision_model");
        vision.put("num_attention_heads", spec.visionHeads());
        vision.put("num_channels", 3);
        vision.put("num_hidden_layers", spec.visionLayers());
        vision.put("patch_size", spec.patchSize());
        vision.put("projection_dim", spec.projectionDim());

        Map<String, Object> c = new LinkedHashMap<>();
        c.put("_name_or_path", "tessera/synthetic-clip-" + spec.name());
        c.put("architectures", List.of("CLIPModel"));
        c.put("initializer_factor", 1.0);
        c.put("logit_scale_init_value", ClipGraphs.LOGIT_SCALE_INIT);
        c.put("model_type", "clip");
        c.put("projection_dim", spec.projectionDim());
        c.put("text_config", text);
        c.put("torch_dtype", options.fp16() ? "float16" : "float32");
        c.put("vision_config", vision);
        // Provenance, so nobody mistakes the directory for a trained model.
        c.put("tessera_synthetic", Map.of("generator", SyntheticClip.class.getName(), "size", spec.name(),
                "seed", options.seed(), "note", "random weights: for tests and benchmarks only"));
        return c;
    }

    public static void main(String[] args) throws IOException {
        Spec spec = null;
        Path out = null;
        Options options = Options.defaults();
        boolean combined = false;
        boolean towers = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--size" -> spec = switch (value(args, ++i)) {
                    case "tiny" -> Spec.tiny();
                    case "vit-b-32" -> Spec.vitB32();
                    default -> throw new IllegalArgumentException("unknown size " + args[i] + " (tiny or vit-b-32)");
                };
                case "--out" -> out = Path.of(value(args, ++i));
                case "--external-data" -> options = options.withExternalData(true);
                case "--fp16" -> options = options.withFp16(true);
                case "--combined" -> combined = true;
                case "--towers" -> towers = true;
                case "--seed" -> options = options.withSeed(Long.parseLong(value(args, ++i)));
                default -> throw new IllegalArgumentException(usage() + "; unknown argument " + args[i]);
            }
        }
        if (spec == null || out == null) {
            throw new IllegalArgumentException(usage());
        }
        // --combined alone writes model.onnx only (Optimum's layout); with --towers the tower files as well.
        options = options.withFiles(!combined || towers, combined);
        Result r = write(spec, options, out);
        System.out.printf("synthetic CLIP %s (%,d parameters, seed %d) -> %s: %s, %,d bytes in %d ms%n",
                spec.name(), r.parameterCount(), options.seed(), r.dir(), r.files(), r.bytes(), r.millis());
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(usage() + "; " + args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static String usage() {
        return "usage: SyntheticClip --size tiny|vit-b-32 --out DIR [--external-data] [--fp16]"
                + " [--combined [--towers]] [--seed N]";
    }
}
