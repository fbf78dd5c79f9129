package io.tessera.embedding.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The Tessera manifest, {@code tessera-model.json}, that sits beside the Hugging Face files of a model directory
 * (ONNX graphs, {@code tokenizer.json}, {@code preprocessor_config.json}, {@code config.json}). It names the graph of
 * each tower and its inputs and outputs, how the embedding comes out of the graph (pooling, projection head,
 * normalisation), the image preprocessing, the trainable projections, the instruction templates per task, and the
 * sha256 of every other file in the directory.
 *
 * <p>Format 1 (tessera-tiny) has in-graph projections and CLIP preprocessing only. Format 2 adds, per tower,
 * {@link Pooling}, {@code normalize}, a projection {@link Head} stored as its own file, {@code token_type_ids}, and
 * image preprocessing variants ({@link Resize}, rescale factor, channel order); in format 2 input and output names
 * may be left out when the graph has only one candidate. New fields are boxed and left out of the JSON when unset, so
 * a format-1 manifest reads and writes back byte for byte.
 *
 * @param format manifest format version, {@link #FORMAT}
 * @param name model name (also the first level of the store layout)
 * @param version model version (the second level)
 * @param dimension size of the shared embedding space
 * @param parentVersion the version this one was trained from, or null
 * @param description free text
 * @param image the image tower, or null for a text-only model
 * @param text the text tower, or null for an image-only model
 * @param instructions instruction templates by task name
 * @param defaultTask the task used when a caller names none
 * @param files relative path (with '/') to lower-case hex sha256, for every file of the directory but the manifest
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelManifest(
        int format,
        String name,
        int version,
        int dimension,
        Integer parentVersion,
        String description,
        ImageTower image,
        TextTower text,
        Map<String, Instruction> instructions,
        String defaultTask,
        Map<String, String> files) {

    public static final String FILE_NAME = "tessera-model.json";
    /** The format this runtime writes. */
    public static final int FORMAT = 2;
    /** The first format (in-graph projections, CLIP preprocessing); still read. */
    public static final int FORMAT_1 = 1;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    public ModelManifest {
        instructions = instructions == null ? Map.of() : new TreeMap<>(instructions);
        files = files == null ? Map.of() : new TreeMap<>(files);
    }

    /**
     * How a trainable projection is stored: a 2-D float initializer {@code [outputDimension, inputDimension]}
     * used as {@code y = x · Wᵀ} (PyTorch's Linear and CLIP's {@code visual_projection.weight} layout), and the
     * graph output that exposes {@code x}, the features entering it.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Projection(String initializer, String featuresOutput, int inputDimension) {}

    /** How a tower's graph output becomes one vector per input. */
    public enum Pooling {
        /** The output already is one vector per input ({@code image_embeds}, {@code sentence_embedding}). */
        @JsonProperty("none") NONE,
        /** Mean over the tokens the attention mask keeps (sentence-transformers' default). */
        @JsonProperty("mean") MEAN,
        /** The first token ({@code [CLS]}, a ViT's class token). */
        @JsonProperty("cls") CLS,
        /** The last non-padding token (decoder-based embedders: RzenEmbed, VLM2Vec, GME, e5-mistral). */
        @JsonProperty("last") LAST
    }

    /** How a picture is brought to the square the image tower takes. */
    public enum Resize {
        /** CLIP: resize the shorter side to {@code shortestEdge}, centre-crop {@code imageSize}. */
        @JsonProperty("shortest-edge-center-crop") SHORTEST_EDGE_CENTER_CROP,
        /** SigLIP: resize both sides to {@code imageSize}, ignoring the aspect ratio. */
        @JsonProperty("squash") SQUASH,
        /** Fit the whole picture inside the square and pad the rest with black (detectors, some VLMs). */
        @JsonProperty("letterbox") LETTERBOX
    }

    /**
     * A trainable projection head applied after pooling, outside the backbone graph: {@code y = W·x (+ b)}, stored
     * as a safetensors file in the model directory ({@link ProjectionHead}). The trainer rewrites only this file, so
     * any backbone (quantized, fp16, external data, a graph we did not build) can be fine-tuned.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Head(String file) {}

    /**
     * The image tower: graph file, names, and preprocessing: resize ({@link Resize}; default CLIP's), scale by
     * {@code rescaleFactor} (default 1/255), subtract mean, divide by std, per channel in {@code channelOrder}
     * (default RGB), CHW. Format 2 adds pooling, head and normalisation.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ImageTower(
            String file,
            String input,
            String output,
            List<Projection> projections,
            int imageSize,
            double[] mean,
            double[] std,
            Resize resize,
            Integer shortestEdge,
            Double rescaleFactor,
            String channelOrder,
            Pooling pooling,
            Head head,
            Boolean normalize) {
        public ImageTower {
            projections = projections == null ? List.of() : List.copyOf(projections);
        }

        /** A format-1 tower: CLIP preprocessing, output already pooled, in-graph projections. */
        public ImageTower(String file, String input, String output, List<Projection> projections, int imageSize,
                double[] mean, double[] std) {
            this(file, input, output, projections, imageSize, mean, std, null, null, null, null, null, null, null);
        }

        public Resize resizeMode() {
            return resize == null ? Resize.SHORTEST_EDGE_CENTER_CROP : resize;
        }

        /** The shorter side's size before the centre crop (CLIP: the crop size; ImageNet CNNs: 256 for 224). */
        public int resizeShortestEdge() {
            return shortestEdge == null || shortestEdge < 1 ? imageSize : shortestEdge;
        }

        /**
         * How many times the side preprocessing brings a picture to ({@link #decodeShortSide()}) a JPEG or WebP may be
         * subsampled to while decoding. The reader's subsampling keeps every n-th pixel where a resize averages them,
         * and the model notices: against the full decode, the embedding of a 2592x1936 camera photo subsampled to 1x
         * tessera-base's side (256) has cosine 0.930, at 2x 0.981, at 3x 0.990 (a 5184x3456 photo: 0.979, 0.985,
         * 0.992); at 4x the runtime's own resize (halving by 2x2 averages, then one bilinear step) averages the
         * skipped-pixel noise away (0.993, indexer-core's SubsampledDecodeEmbeddingTest). Subsampling saves little
         * decode time (ImageIO's JPEG reader decodes every block; 20-30 % less for a large photo), so the point is
         * memory: a 50 MP photo still costs a fraction of its full-size pixels.
         */
        public static final int SUBSAMPLED_SIDE_PER_MODEL_SIDE = 4;

        /**
         * The short side a picture may be subsampled to while it is decoded for this tower, the same for indexed media
         * and for query images (so that a query photo and the same photo indexed embed alike):
         * {@value #SUBSAMPLED_SIDE_PER_MODEL_SIDE} x the side preprocessing brings it to first (CLIP's crop size;
         * ImageNet CNNs' shortest edge, 256 for a 224 crop; for squash and letterbox the input size, which both axes
         * then reach).
         */
        public int decodeShortSide() {
            int side = resizeMode() == Resize.SHORTEST_EDGE_CENTER_CROP ? Math.max(imageSize, resizeShortestEdge())
                    : imageSize;
            return SUBSAMPLED_SIDE_PER_MODEL_SIDE * side;
        }

        public double rescale() {
            return rescaleFactor == null ? 1.0 / 255.0 : rescaleFactor;
        }

        public boolean bgr() {
            return "BGR".equalsIgnoreCase(channelOrder);
        }

        public Pooling poolingMode() {
            return pooling == null ? Pooling.NONE : pooling;
        }

        public boolean normalizes() {
            return normalize == null || normalize;
        }

        public ImageTower withNames(String newInput, String newOutput) {
            return new ImageTower(file, newInput, newOutput, projections, imageSize, mean, std, resize, shortestEdge,
                    rescaleFactor, channelOrder, pooling, head, normalize);
        }
    }

    /**
     * The text tower: graph file, tokenizer file, names, and the sequence length. {@code attentionMask} is null for
     * graphs without that input; {@code tokenTypeIds} names BERT's segment input (fed zeros), null when absent.
     * {@code padToMaxLength}: pad every batch to {@code maxLength} (graphs with a fixed sequence axis, like most CLIP
     * exports) instead of to the longest sequence of the batch. Format 2 adds pooling, head and normalisation.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TextTower(
            String file,
            String tokenizer,
            String inputIds,
            String attentionMask,
            String output,
            List<Projection> projections,
            int maxLength,
            boolean padToMaxLength,
            String tokenTypeIds,
            Pooling pooling,
            Head head,
            Boolean normalize) {
        public TextTower {
            projections = projections == null ? List.of() : List.copyOf(projections);
        }

        /** A format-1 tower: output already pooled, in-graph projections, no token types. */
        public TextTower(String file, String tokenizer, String inputIds, String attentionMask, String output,
                List<Projection> projections, int maxLength, boolean padToMaxLength) {
            this(file, tokenizer, inputIds, attentionMask, output, projections, maxLength, padToMaxLength, null, null,
                    null, null);
        }

        public Pooling poolingMode() {
            return pooling == null ? Pooling.NONE : pooling;
        }

        public boolean normalizes() {
            return normalize == null || normalize;
        }

        public TextTower withNames(String ids, String mask, String types, String newOutput) {
            return new TextTower(file, tokenizer, ids, mask, newOutput, projections, maxLength, padToMaxLength, types,
                    pooling, head, normalize);
        }
    }

    /**
     * An instruction template in the RzenEmbed style: a system prompt and a representation prompt per modality,
     * put before the text that is embedded. Empty strings switch a part off (a plain CLIP wants none).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Instruction(String system, String text, String image) {
        public Instruction {
            system = system == null ? "" : system;
            text = text == null ? "" : text;
            image = image == null ? "" : image;
        }

        /** The text the text tower sees: system prompt, representation prompt, then the input, space-separated. */
        public String applyToText(String input) {
            StringBuilder out = new StringBuilder(system.length() + text.length() + input.length() + 2);
            if (!system.isBlank()) {
                out.append(system.strip()).append(' ');
            }
            if (!text.isBlank()) {
                out.append(text.strip()).append(' ');
            }
            return out.append(input).toString();
        }
    }

    /** A copy with other towers (names resolved from the graphs, or a head added). */
    public ModelManifest withTowers(ImageTower newImage, TextTower newText) {
        return new ModelManifest(format, name, version, dimension, parentVersion, description, newImage, newText,
                instructions, defaultTask, files);
    }

    /**
     * The keys of a tower's trainable projections: the head file when the tower has a head, else the in-graph
     * projection initializers. The trainer keys features and weights by these; {@link ModelVersions} rewrites them.
     */
    public List<String> trainableProjections(io.tessera.embedding.Tower tower) {
        if (tower == io.tessera.embedding.Tower.IMAGE) {
            if (image == null) {
                return List.of();
            }
            return image.head() != null ? List.of(image.head().file())
                    : image.projections().stream().map(Projection::initializer).toList();
        }
        if (text == null) {
            return List.of();
        }
        return text.head() != null ? List.of(text.head().file())
                : text.projections().stream().map(Projection::initializer).toList();
    }

    public ModelRef ref() {
        return new ModelRef(name, version);
    }

    /** The instruction for a task; null or unknown tasks fall back to the default task, then to none. */
    public Instruction instruction(String task) {
        Instruction found = task == null ? null : instructions.get(task);
        if (found == null && defaultTask != null) {
            found = instructions.get(defaultTask);
        }
        return found == null ? new Instruction("", "", "") : found;
    }

    /** A copy with another version, parent and file checksums (for publishing a trained version). */
    public ModelManifest withVersion(int newVersion, Integer parent, Map<String, String> newFiles) {
        return new ModelManifest(format, name, newVersion, dimension, parent, description, image, text,
                instructions, defaultTask, newFiles);
    }

    /** A copy with other file checksums. */
    public ModelManifest withFiles(Map<String, String> newFiles) {
        return withVersion(version, parentVersion, newFiles);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise manifest of " + ref(), e);
        }
    }

    public static ModelManifest fromJson(String json) throws JsonProcessingException {
        return Objects.requireNonNull(JSON.readValue(json, ModelManifest.class), "empty manifest");
    }

    static ObjectMapper json() {
        return JSON;
    }
}
