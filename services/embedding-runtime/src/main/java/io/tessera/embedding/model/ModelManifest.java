package io.tessera.embedding.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
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
 * The Tessera manifest, {@code tessera-model.json}, that sits beside the Hugging Face CLIP files of a model
 * directory. It names the graph of each tower and its inputs and outputs, the preprocessing, the trainable
 * projections (and the graph output carrying the features that enter each), the instruction templates per task,
 * and the sha256 of every other file in the directory.
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
    public static final int FORMAT = 1;

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

    /**
     * The image tower: graph file, names, and the CLIP preprocessing (resize the shorter side to
     * {@code imageSize}, centre-crop a square, scale to [0,1], subtract mean, divide by std, per RGB channel).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ImageTower(
            String file,
            String input,
            String output,
            List<Projection> projections,
            int imageSize,
            double[] mean,
            double[] std) {
        public ImageTower {
            projections = projections == null ? List.of() : List.copyOf(projections);
        }
    }

    /**
     * The text tower: graph file, tokenizer file, names, and the sequence length. {@code attentionMask} is null for
     * graphs without that input. {@code padToMaxLength}: pad every batch to {@code maxLength} (graphs with a fixed
     * sequence axis, like most CLIP exports) instead of to the longest sequence of the batch.
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
            boolean padToMaxLength) {
        public TextTower {
            projections = projections == null ? List.of() : List.copyOf(projections);
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
