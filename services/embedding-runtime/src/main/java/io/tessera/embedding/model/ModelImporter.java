package io.tessera.embedding.model;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.embedding.onnx.OnnxGraphs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Brings an outside Hugging Face-style export into the model store as a sealed Tessera model directory:
 * CLIP / SigLIP / OpenCLIP ({@code vision_model.onnx} + {@code text_model.onnx}, or one {@code model.onnx} with both
 * towers, which is split into the two), a sentence-transformers {@code model.onnx} (+ {@code 1_Pooling/config.json}),
 * or an image-only graph, with {@code tokenizer.json}, {@code preprocessor_config.json} and {@code config.json}.
 *
 * <p>It infers what the files say (towers, input and output names, pooling, sequence length, preprocessing, the
 * dimension) and stops with a message naming the {@link Options} field (the command line's option) for anything it
 * cannot infer. By default each tower gets an identity projection head outside the graph, so the trainer can
 * fine-tune any backbone (quantized, fp16, external data) without touching its graph; the head costs one
 * {@code d×d} product per item.
 */
public final class ModelImporter {

    /** What the caller supplies or overrides; null fields are inferred. */
    public record Options(
            String name,
            Integer version,
            String description,
            String onnxFile,
            ModelManifest.Pooling textPooling,
            ModelManifest.Pooling imagePooling,
            String textOutput,
            String imageOutput,
            Integer maxLength,
            Integer imageSize,
            double[] imageMean,
            double[] imageStd,
            ModelManifest.Resize resize,
            boolean heads,
            Integer dimension) {

        public Options {
            Objects.requireNonNull(name, "name");
        }

        /** Everything inferred, identity heads on. */
        public static Options named(String name) {
            return new Options(name, null, null, null, null, null, null, null, null, null, null, null, null, true,
                    null);
        }

        public Options withVersion(Integer v) {
            return new Options(name, v, description, onnxFile, textPooling, imagePooling, textOutput, imageOutput,
                    maxLength, imageSize, imageMean, imageStd, resize, heads, dimension);
        }

        public Options withHeads(boolean h) {
            return new Options(name, version, description, onnxFile, textPooling, imagePooling, textOutput,
                    imageOutput, maxLength, imageSize, imageMean, imageStd, resize, h, dimension);
        }

        public Options withOnnxFile(String file) {
            return new Options(name, version, description, file, textPooling, imagePooling, textOutput, imageOutput,
                    maxLength, imageSize, imageMean, imageStd, resize, heads, dimension);
        }

        public Options withTextPooling(ModelManifest.Pooling p) {
            return new Options(name, version, description, onnxFile, p, imagePooling, textOutput, imageOutput,
                    maxLength, imageSize, imageMean, imageStd, resize, heads, dimension);
        }

        public Options withMaxLength(Integer n) {
            return new Options(name, version, description, onnxFile, textPooling, imagePooling, textOutput,
                    imageOutput, n, imageSize, imageMean, imageStd, resize, heads, dimension);
        }
    }

    /** A problem the caller can fix; the message names the file and the option. */
    public static final class ImportException extends RuntimeException {
        public ImportException(String message) {
            super(message);
        }
    }

    /** The outcome: the installed directory and, for the log, what was inferred. */
    public record Result(ModelDirectory directory, List<String> notes) {}

    private static final String VISION_FILE = "vision_model.onnx";
    private static final String TEXT_FILE = "text_model.onnx";
    private static final List<String> IMAGE_OUTPUTS = List.of("image_embeds", "pooler_output", "embeddings",
            "features", "last_hidden_state");
    /**
     * Without a {@code 1_Pooling/config.json}, a pooled output beats a per-token one: SigLIP's text {@code pooler_output}
     * is its embedding. With one (sentence-transformers), {@code last_hidden_state} is pooled as it says.
     */
    private static final List<String> TEXT_OUTPUTS = List.of("text_embeds", "sentence_embedding", "embeddings",
            "pooler_output", "last_hidden_state");
    private static final List<String> TEXT_OUTPUTS_ST = List.of("text_embeds", "sentence_embedding", "embeddings",
            "last_hidden_state", "pooler_output");
    /** Side files of an export that are kept in the model directory as they are. */
    private static final List<String> SIDE_FILES = List.of("config.json", "preprocessor_config.json",
            "tokenizer_config.json", "special_tokens_map.json", "1_Pooling/config.json", "sentence_bert_config.json",
            "modules.json", "README.md", "LICENSE");

    private ModelImporter() {}

    /** A graph's inputs and outputs with their element types and shapes (-1 for symbolic axes). */
    private record Value(String name, int elemType, long[] shape) {
        int rank() {
            return shape.length;
        }

        long last() {
            return shape.length == 0 ? -1 : shape[shape.length - 1];
        }
    }

    private record Graph(Path file, OnnxMl.ModelProto proto, List<Value> inputs, List<Value> outputs) {
        Optional<Value> input(String n) {
            return inputs.stream().filter(v -> v.name().equals(n)).findFirst();
        }

        Optional<Value> output(String n) {
            return outputs.stream().filter(v -> v.name().equals(n)).findFirst();
        }
    }

    /**
     * Imports {@code source} into {@code store}.
     *
     * @throws ImportException naming what is missing and the option that supplies it
     */
    public static Result importInto(LocalModelStore store, Path source, Options options) {
        Path src = source.toAbsolutePath().normalize();
        if (!Files.isDirectory(src)) {
            throw new ImportException(src + " is not a directory (expected a Hugging Face-style export)");
        }
        List<String> notes = new ArrayList<>();
        Path onnxDir = Files.isDirectory(src.resolve("onnx")) && !Files.exists(src.resolve("model.onnx"))
                && !Files.exists(src.resolve(VISION_FILE)) && !Files.exists(src.resolve(TEXT_FILE))
                ? src.resolve("onnx") : src;
        Graph vision = null;
        Graph text = null;
        Graph combined = null;
        if (options.onnxFile() != null) {
            Graph g = graph(resolveFile(src, onnxDir, options.onnxFile()));
            boolean hasPixels = g.input("pixel_values").isPresent() || hasImageInput(g);
            boolean hasIds = g.input("input_ids").isPresent();
            if (hasPixels && hasIds) {
                combined = g;
            } else if (hasPixels) {
                vision = g;
            } else {
                text = g;
            }
        } else {
            if (Files.isRegularFile(onnxDir.resolve(VISION_FILE))) {
                vision = graph(onnxDir.resolve(VISION_FILE));
            }
            if (Files.isRegularFile(onnxDir.resolve(TEXT_FILE))) {
                text = graph(onnxDir.resolve(TEXT_FILE));
            }
            if (vision == null && text == null) {
                Path model = onnxDir.resolve("model.onnx");
                if (!Files.isRegularFile(model)) {
                    throw new ImportException(src + " has no vision_model.onnx, text_model.onnx or model.onnx"
                            + (onnxDir != src ? " (nor under onnx/)" : "") + "; name the graph with --onnx FILE");
                }
                Graph g = graph(model);
                boolean hasPixels = hasImageInput(g);
                boolean hasIds = g.input("input_ids").isPresent();
                if (hasPixels && hasIds) {
                    combined = g;
                } else if (hasPixels) {
                    vision = g;
                } else if (hasIds) {
                    text = g;
                } else {
                    throw new ImportException(model + " takes neither pixel_values nor input_ids (inputs: "
                            + g.inputs().stream().map(Value::name).toList() + "); this importer knows image and text"
                            + " towers only");
                }
            }
        }

        Path staging;
        try {
            staging = Files.createTempDirectory(Files.createDirectories(store.root()), ".import-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a staging directory in " + store.root(), e);
        }
        try {
            if (combined != null) {
                combined = fullGraph(combined);
                notes.add(combined.file().getFileName() + " holds both towers: split into " + VISION_FILE + " and "
                        + TEXT_FILE);
                String imageOut = pick(combined, options.imageOutput(), List.of("image_embeds"), "--image-output");
                String textOut = pick(combined, options.textOutput(), List.of("text_embeds"), "--text-output");
                List<String> textInputs = combined.inputs().stream().map(Value::name)
                        .filter(n -> !n.equals("pixel_values")).toList();
                writeProto(OnnxGraphs.extract(combined.proto(), List.of("pixel_values"), List.of(imageOut)),
                        staging.resolve(VISION_FILE));
                writeProto(OnnxGraphs.extract(combined.proto(), textInputs, List.of(textOut)),
                        staging.resolve(TEXT_FILE));
                vision = graph(staging.resolve(VISION_FILE));
                text = graph(staging.resolve(TEXT_FILE));
            } else {
                if (vision != null) {
                    copyGraph(vision.file(), staging, vision.file().getFileName().toString(), vision.proto());
                }
                if (text != null) {
                    copyGraph(text.file(), staging, text.file().getFileName().toString(), text.proto());
                }
            }
            ModelManifest.ImageTower imageTower = vision == null ? null
                    : imageTower(src, vision, vision.file().getFileName().toString(), options, notes);
            ModelManifest.TextTower textTower = text == null ? null
                    : textTower(src, text, text.file().getFileName().toString(), options, notes);
            for (String side : SIDE_FILES) {
                Path f = src.resolve(side);
                if (Files.isRegularFile(f)) {
                    Files.createDirectories(staging.resolve(side).getParent());
                    Files.copy(f, staging.resolve(side), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (textTower != null) {
                Path tok = findTokenizer(src, onnxDir);
                Files.copy(tok, staging.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
            }

            long imageDim = vision == null ? -1 : outputWidth(vision, imageTower.output(), "--image-output");
            long textDim = text == null ? -1 : outputWidth(text, textTower.output(), "--text-output");
            int dimension;
            if (options.dimension() != null) {
                dimension = options.dimension();
            } else if (imageDim > 0 && textDim > 0 && imageDim != textDim) {
                throw new ImportException("the image tower yields " + imageDim + " dimensions and the text tower "
                        + textDim + "; they can share one space only through projection heads: pass --dimension D"
                        + " (heads mapping both towers to D, to be trained) or import the towers as two models");
            } else {
                dimension = (int) Math.max(imageDim, textDim);
            }
            boolean heads = options.heads() || (imageDim > 0 && imageDim != dimension)
                    || (textDim > 0 && textDim != dimension);
            if (!options.heads() && heads) {
                notes.add("heads added although --no-heads was given: a tower's width differs from --dimension");
            }
            if (heads) {
                if (imageTower != null) {
                    writeHead(staging, "heads/image.safetensors", dimension, (int) imageDim);
                    imageTower = withHead(imageTower, "heads/image.safetensors");
                }
                if (textTower != null) {
                    writeHead(staging, "heads/text.safetensors", dimension, (int) textDim);
                    textTower = withHead(textTower, "heads/text.safetensors");
                }
                notes.add("trainable projection heads (identity-initialised, " + dimension
                        + " dimensions) written to heads/; the trainer fine-tunes them");
            }

            int version = options.version() != null ? options.version()
                    : store.versions(options.name()).stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
            String description = options.description() != null ? options.description()
                    : "imported from " + src.getFileName() + describeConfig(src);
            ModelManifest manifest = new ModelManifest(ModelManifest.FORMAT, options.name(), version, dimension, null,
                    description, imageTower, textTower, Map.of(), null, Map.of());
            ModelDirectory sealed;
            try {
                sealed = ModelDirectory.seal(staging, manifest);
            } catch (ModelLoadException e) {
                throw new ImportException("the imported files do not form a valid model: " + e.getMessage());
            }
            ModelDirectory installed = store.install(sealed);
            return new Result(installed, notes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot import " + src + ": " + e.getMessage(), e);
        } finally {
            try {
                LocalModelStore.deleteRecursively(staging);
            } catch (IOException ignored) {
                // A leftover staging directory is hidden (dot-named) and harmless.
            }
        }
    }

    private static boolean hasImageInput(Graph g) {
        return g.inputs().stream().anyMatch(v -> v.name().equals("pixel_values")
                || (v.rank() == 4 && (v.elemType() == OnnxGraphs.FLOAT_TYPE || v.elemType() == OnnxGraphs.FLOAT16_TYPE)));
    }

    private static Path resolveFile(Path src, Path onnxDir, String name) {
        for (Path p : List.of(src.resolve(name), onnxDir.resolve(name), Path.of(name))) {
            if (Files.isRegularFile(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new ImportException("--onnx " + name + ": no such file in " + src);
    }

    private static Path findTokenizer(Path src, Path onnxDir) {
        for (Path p : List.of(src.resolve("tokenizer.json"), onnxDir.resolve("tokenizer.json"))) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new ImportException(src + " has a text tower but no tokenizer.json (the Hugging Face fast tokenizer;"
                + " export it with `AutoTokenizer.from_pretrained(...).save_pretrained(DIR)`)");
    }

    /** A graph's outline (no weights); {@link #fullGraph} when it must be cut into towers. */
    private static Graph graph(Path file) {
        return graph(file, false);
    }

    private static Graph fullGraph(Graph outline) {
        return graph(outline.file(), true);
    }

    private static Graph graph(Path file, boolean withWeights) {
        OnnxMl.ModelProto proto;
        try {
            proto = withWeights ? OnnxGraphs.parse(file) : OnnxGraphs.outline(file);
        } catch (IOException | RuntimeException e) {
            throw new ImportException(file + " is not a readable ONNX model: " + e.getMessage());
        }
        Set<String> initializers = new TreeSet<>();
        proto.getGraph().getInitializerList().forEach(t -> initializers.add(t.getName()));
        List<Value> inputs = proto.getGraph().getInputList().stream().filter(v -> !initializers.contains(v.getName()))
                .map(ModelImporter::value).toList();
        List<Value> outputs = proto.getGraph().getOutputList().stream().map(ModelImporter::value).toList();
        return new Graph(file, proto, inputs, outputs);
    }

    private static Value value(OnnxMl.ValueInfoProto v) {
        OnnxMl.TypeProto.Tensor t = v.getType().getTensorType();
        long[] shape = t.getShape().getDimList().stream()
                .mapToLong(d -> d.hasDimValue() ? d.getDimValue() : -1).toArray();
        return new Value(v.getName(), t.getElemType(), shape);
    }

    private static String pick(Graph g, String given, List<String> preferred, String option) {
        List<String> names = g.outputs().stream().map(Value::name).toList();
        if (given != null) {
            if (!names.contains(given)) {
                throw new ImportException(g.file() + " has no output '" + given + "' (" + option + "); it has "
                        + names);
            }
            return given;
        }
        for (String p : preferred) {
            if (names.contains(p)) {
                return p;
            }
        }
        if (names.size() == 1) {
            return names.get(0);
        }
        throw new ImportException(g.file() + " has outputs " + names + " and none is a known embedding output;"
                + " name the one to use with " + option);
    }

    private static long outputWidth(Graph g, String output, String option) {
        Value v = g.output(output).orElseThrow();
        if (v.last() < 1) {
            throw new ImportException(g.file() + ": the width of output '" + output + "' is not fixed in the graph "
                    + "(shape " + java.util.Arrays.toString(v.shape()) + "); pass --dimension D");
        }
        return v.last();
    }

    private static ModelManifest.ImageTower imageTower(Path src, Graph g, String file, Options o, List<String> notes)
            throws IOException {
        Value input = g.input("pixel_values").orElseGet(() -> g.inputs().stream()
                .filter(v -> v.rank() == 4).findFirst()
                .orElseThrow(() -> new ImportException(g.file() + " has no image input [batch, 3, H, W]")));
        String output = pick(g, o.imageOutput(), IMAGE_OUTPUTS, "--image-output");
        Value out = g.output(output).orElseThrow();
        ModelManifest.Pooling pooling = o.imagePooling() != null ? o.imagePooling()
                : out.rank() == 3 ? ModelManifest.Pooling.CLS : ModelManifest.Pooling.NONE;
        if (o.imagePooling() == null && out.rank() == 3) {
            notes.add("image output '" + output + "' is per token: pooled at the class token (--image-pooling)");
        }
        JsonNode pre = readJson(src.resolve("preprocessor_config.json"));
        Integer size = o.imageSize();
        ModelManifest.Resize resize = o.resize();
        Integer shortestEdge = null;
        Double rescale = null;
        double[] mean = o.imageMean();
        double[] std = o.imageStd();
        if (pre != null) {
            boolean crop = pre.path("do_center_crop").asBoolean(pre.has("crop_size"));
            JsonNode sizeNode = pre.path("size");
            int cropSize = pre.path("crop_size").isObject() ? pre.path("crop_size").path("height").asInt(-1)
                    : pre.path("crop_size").asInt(-1);
            if (size == null) {
                if (crop && cropSize > 0) {
                    size = cropSize;
                } else if (sizeNode.isObject() && sizeNode.has("height")) {
                    size = sizeNode.path("height").asInt();
                } else if (sizeNode.isInt()) {
                    size = sizeNode.asInt();
                }
            }
            if (resize == null) {
                resize = crop ? ModelManifest.Resize.SHORTEST_EDGE_CENTER_CROP : ModelManifest.Resize.SQUASH;
            }
            if (sizeNode.isObject() && sizeNode.has("shortest_edge")) {
                shortestEdge = sizeNode.path("shortest_edge").asInt();
            }
            if (pre.path("do_rescale").asBoolean(true) && pre.has("rescale_factor")) {
                rescale = pre.path("rescale_factor").asDouble();
            } else if (!pre.path("do_rescale").asBoolean(true)) {
                rescale = 1.0;
            }
            if (mean == null && pre.path("image_mean").isArray()) {
                mean = doubles(pre.path("image_mean"));
            }
            if (std == null && pre.path("image_std").isArray()) {
                std = doubles(pre.path("image_std"));
            }
        }
        if (size == null && input.rank() == 4 && input.shape()[2] > 0) {
            size = (int) input.shape()[2];
            notes.add("image size " + size + " read from the graph's input shape");
        }
        List<String> missing = new ArrayList<>();
        if (size == null) {
            missing.add("--image-size (no preprocessor_config.json and the input's size is symbolic)");
        }
        if (mean == null || std == null) {
            missing.add("--image-mean R,G,B and --image-std R,G,B (no preprocessor_config.json with image_mean/"
                    + "image_std)");
        }
        if (!missing.isEmpty()) {
            throw new ImportException("cannot tell how to preprocess images for " + g.file() + ": pass "
                    + String.join(" and ", missing));
        }
        return new ModelManifest.ImageTower(file, input.name(), output, List.of(), size, mean, std,
                resize == ModelManifest.Resize.SHORTEST_EDGE_CENTER_CROP ? null : resize,
                shortestEdge != null && shortestEdge.equals(size) ? null : shortestEdge, rescale, null,
                pooling == ModelManifest.Pooling.NONE ? null : pooling, null, null);
    }

    private static ModelManifest.TextTower textTower(Path src, Graph g, String file, Options o, List<String> notes)
            throws IOException {
        Value ids = g.input("input_ids").orElseThrow(() -> new ImportException(g.file()
                + " has no input_ids input (inputs: " + g.inputs().stream().map(Value::name).toList() + ")"));
        String mask = g.input("attention_mask").map(Value::name).orElse(null);
        String types = g.input("token_type_ids").map(Value::name).orElse(null);
        List<String> unknown = g.inputs().stream().map(Value::name)
                .filter(n -> !n.equals(ids.name()) && !n.equals(mask) && !n.equals(types)).toList();
        if (!unknown.isEmpty()) {
            throw new ImportException(g.file() + " takes inputs " + unknown + " that a text tower does not feed"
                    + " (known: input_ids, attention_mask, token_type_ids)");
        }
        boolean sentenceTransformers = Files.isRegularFile(src.resolve("1_Pooling").resolve("config.json"));
        String output = pick(g, o.textOutput(), sentenceTransformers ? TEXT_OUTPUTS_ST : TEXT_OUTPUTS,
                "--text-output");
        Value out = g.output(output).orElseThrow();
        ModelManifest.Pooling pooling = o.textPooling();
        if (pooling == null) {
            if (out.rank() == 2) {
                pooling = ModelManifest.Pooling.NONE;
            } else {
                pooling = sentenceTransformersPooling(src);
                if (pooling == null) {
                    pooling = ModelManifest.Pooling.MEAN;
                    notes.add("text output '" + output + "' is per token and there is no 1_Pooling/config.json:"
                            + " mean pooling (--text-pooling cls|last|mean to choose)");
                } else {
                    notes.add("text pooling " + pooling.name().toLowerCase(Locale.ROOT)
                            + " from 1_Pooling/config.json");
                }
            }
        }
        Integer maxLength = o.maxLength();
        if (maxLength == null && ids.rank() == 2 && ids.shape()[1] > 0) {
            maxLength = (int) ids.shape()[1];
        }
        if (maxLength == null) {
            JsonNode st = readJson(src.resolve("sentence_bert_config.json"));
            if (st != null && st.has("max_seq_length")) {
                maxLength = st.path("max_seq_length").asInt();
            }
        }
        if (maxLength == null) {
            JsonNode tok = readJson(findTokenizer(src, src.resolve("onnx")));
            if (tok != null && tok.path("truncation").has("max_length")) {
                maxLength = tok.path("truncation").path("max_length").asInt();
            }
        }
        if (maxLength == null) {
            JsonNode cfg = readJson(src.resolve("config.json"));
            JsonNode textCfg = cfg == null ? null : cfg.has("text_config") ? cfg.path("text_config") : cfg;
            if (textCfg != null && textCfg.has("max_position_embeddings")) {
                maxLength = textCfg.path("max_position_embeddings").asInt();
            }
        }
        if (maxLength == null) {
            throw new ImportException("cannot tell the text tower's sequence length: pass --max-length N");
        }
        boolean fixed = ids.rank() == 2 && ids.shape()[1] > 0;
        if (!fixed && mask == null) {
            // A tower without an attention mask sees the padding, so it must get what it was trained with: SigLIP
            // pads every text to 64 tokens, and its tokenizer.json says so with a fixed padding length.
            JsonNode tok = readJson(findTokenizer(src, src.resolve("onnx")));
            JsonNode fixedLength = tok == null ? null : tok.path("padding").path("strategy").path("Fixed");
            if (fixedLength != null && fixedLength.isInt()) {
                fixed = true;
                if (o.maxLength() == null) {
                    maxLength = fixedLength.asInt();
                }
                notes.add("no attention_mask input and tokenizer.json pads to " + fixedLength.asInt()
                        + ": every text is padded to that length");
            }
        }
        if (mask == null && pooling == ModelManifest.Pooling.MEAN) {
            throw new ImportException(g.file() + " has no attention_mask input, so mean pooling would average the"
                    + " padding; pass --text-pooling cls or last");
        }
        return new ModelManifest.TextTower(file, "tokenizer.json", ids.name(), mask, output, List.of(), maxLength,
                fixed, types, pooling == ModelManifest.Pooling.NONE ? null : pooling, null, null);
    }

    private static ModelManifest.Pooling sentenceTransformersPooling(Path src) throws IOException {
        JsonNode p = readJson(src.resolve("1_Pooling").resolve("config.json"));
        if (p == null) {
            return null;
        }
        if (p.path("pooling_mode_cls_token").asBoolean(false)) {
            return ModelManifest.Pooling.CLS;
        }
        if (p.path("pooling_mode_lasttoken").asBoolean(false)) {
            return ModelManifest.Pooling.LAST;
        }
        if (p.path("pooling_mode_mean_tokens").asBoolean(false)) {
            return ModelManifest.Pooling.MEAN;
        }
        throw new ImportException(src.resolve("1_Pooling/config.json") + " asks for a pooling this runtime does not"
                + " do (max or weighted mean); pass --text-pooling mean|cls|last");
    }

    private static ModelManifest.ImageTower withHead(ModelManifest.ImageTower t, String head) {
        return new ModelManifest.ImageTower(t.file(), t.input(), t.output(), List.of(), t.imageSize(), t.mean(),
                t.std(), t.resize(), t.shortestEdge(), t.rescaleFactor(), t.channelOrder(), t.pooling(),
                new ModelManifest.Head(head), t.normalize());
    }

    private static ModelManifest.TextTower withHead(ModelManifest.TextTower t, String head) {
        return new ModelManifest.TextTower(t.file(), t.tokenizer(), t.inputIds(), t.attentionMask(), t.output(),
                List.of(), t.maxLength(), t.padToMaxLength(), t.tokenTypeIds(), t.pooling(),
                new ModelManifest.Head(head), t.normalize());
    }

    /** An identity head when the widths agree; else a truncated identity (the first dimensions), to be trained. */
    private static void writeHead(Path staging, String rel, int out, int in) throws IOException {
        float[] w = new float[out * in];
        for (int i = 0; i < Math.min(out, in); i++) {
            w[i * in + i] = 1f;
        }
        new ProjectionHead(out, in, w, null).write(staging.resolve(rel));
    }

    /** Copies a graph and the external data files it points at. */
    private static void copyGraph(Path from, Path staging, String as, OnnxMl.ModelProto proto) throws IOException {
        Files.copy(from, staging.resolve(as), StandardCopyOption.REPLACE_EXISTING);
        for (String location : OnnxGraphs.externalDataFiles(proto)) {
            Path data = from.resolveSibling(location).normalize();
            if (!data.startsWith(from.getParent()) || !Files.isRegularFile(data)) {
                throw new ImportException(from + " keeps weights in external data '" + location
                        + "', which is missing next to it");
            }
            Path dst = staging.resolve(location).normalize();
            Files.createDirectories(dst.getParent());
            Files.copy(data, dst, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void writeProto(OnnxMl.ModelProto proto, Path file) throws IOException {
        try (var out = Files.newOutputStream(file)) {
            proto.writeTo(out);
        }
    }

    private static JsonNode readJson(Path f) throws IOException {
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            return ModelManifest.json().readTree(Files.readString(f));
        } catch (IOException e) {
            throw new ImportException(f + " is not valid JSON: " + e.getMessage());
        }
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        if (out.length == 1) {
            return new double[] {out[0], out[0], out[0]};
        }
        if (out.length != 3) {
            throw new ImportException("image_mean/image_std need 1 or 3 values, got " + out.length);
        }
        return out;
    }

    private static String describeConfig(Path src) throws IOException {
        JsonNode cfg = readJson(src.resolve("config.json"));
        if (cfg == null) {
            return "";
        }
        Map<String, String> parts = new LinkedHashMap<>();
        if (cfg.has("_name_or_path")) {
            parts.put("source", cfg.path("_name_or_path").asText());
        }
        if (cfg.has("model_type")) {
            parts.put("type", cfg.path("model_type").asText());
        }
        return parts.isEmpty() ? "" : " " + parts;
    }
}
