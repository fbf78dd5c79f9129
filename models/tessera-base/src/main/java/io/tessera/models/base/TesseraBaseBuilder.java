package io.tessera.models.base;

import static io.tessera.embedding.onnx.OnnxGraphBuilder.FLOAT;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tessera.embedding.Device;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.RuntimeConfig;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.model.ModelManifest;
import io.tessera.embedding.model.ProjectionHead;
import io.tessera.embedding.onnx.OnnxGraphBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Assembles {@code tessera-base} version 1 (see {@link TesseraBase} for what it is) from the three packages it is
 * made of, into a sealed model directory (manifest format 2) in the store layout {@code <store>/tessera-base/1/}.
 *
 * <p>The build runs it at {@code process-classes} with {@code --out target/classes/tessera/models
 * --skip-if-current}, so the model is bundled in this module's jar and {@code DefaultModels.installBundled(store,
 * TesseraBase.REF)} installs it from any classpath that has the jar:
 *
 * <pre>TesseraBaseBuilder --out STORE_ROOT [--skip-if-current] [--inputs DIR]</pre>
 *
 * {@code --inputs} is where the packages are (default {@code target/downloads}, where the build puts them); their
 * file names and sha256 come from {@code tessera-base-sources.properties}, which the build fills from the pom, and
 * every input is checked against its sha256 before use.
 *
 * <p><b>Deterministic</b>: the same inputs give byte-identical files. Everything is derived from the inputs in a
 * fixed order with fixed names; the only computed numbers that do not come straight from the packages are the class
 * embeddings E, which ONNX Runtime computes on one thread, one prompt at a time (same ONNX Runtime version and CPU
 * kind: same bits; the ONNX Runtime version is recorded in {@code config.json}).
 */
public final class TesseraBaseBuilder {
    /** Bump when the assembled bytes change for the same inputs, so --skip-if-current rebuilds. */
    static final int RECIPE = 1;
    static final String PRODUCER = "tessera-base-builder";
    static final String SOURCES_RESOURCE = "tessera-base-sources.properties";
    static final String BUILD_KEY = "tessera_build";

    /** Inside the MiniLM jar. */
    static final String MINILM_ONNX_ENTRY = "all-minilm-l6-v2-q.onnx";
    static final String MINILM_TOKENIZER_ENTRY = "all-minilm-l6-v2-q-tokenizer.json";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private TesseraBaseBuilder() {}

    /** The head and bridge parameters (see {@link TesseraBase}); {@link #chosen()} is what version 1 ships. */
    public record Weights(float temperature, float text, float bridge, float features) {
        public static Weights chosen() {
            return new Weights(TesseraBase.TEMPERATURE, TesseraBase.TEXT_WEIGHT, TesseraBase.BRIDGE_WEIGHT,
                    TesseraBase.FEATURE_WEIGHT);
        }
    }

    /** One package tessera-base is made of, as pinned in {@value #SOURCES_RESOURCE}. */
    public record Source(String key, String file, String pkg, String url, String sha256, String licence,
            String content) {}

    /** The three packages, in the order they are described. */
    public static List<Source> sources() {
        Properties p = new Properties();
        try (InputStream in = TesseraBaseBuilder.class.getResourceAsStream(SOURCES_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("no " + SOURCES_RESOURCE + " next to " + TesseraBaseBuilder.class
                        + " (written by the build)");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Source> out = new ArrayList<>();
        for (String k : List.of("minilm", "efficientnet", "torchvision")) {
            String file = p.getProperty(k + ".file");
            String sha = p.getProperty(k + ".sha256");
            if (file == null || file.contains("${") || sha == null || sha.contains("${")) {
                throw new IllegalStateException(SOURCES_RESOURCE + " lacks " + k + ".file/" + k
                        + ".sha256 (was it filtered by the build?)");
            }
            out.add(new Source(k, file, p.getProperty(k + ".package"), p.getProperty(k + ".url"), sha,
                    p.getProperty(k + ".licence"), p.getProperty(k + ".content")));
        }
        return List.copyOf(out);
    }

    static Source source(String key) {
        return sources().stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow();
    }

    /** Where the three packages are. */
    public record Inputs(Path minilmJar, Path efficientnetWheel, Path torchvisionWheel) {
        /** The packages under their pinned file names in {@code dir}. */
        public static Inputs in(Path dir) {
            return new Inputs(dir.resolve(source("minilm").file()), dir.resolve(source("efficientnet").file()),
                    dir.resolve(source("torchvision").file()));
        }

        Path of(String key) {
            return switch (key) {
                case "minilm" -> minilmJar;
                case "efficientnet" -> efficientnetWheel;
                case "torchvision" -> torchvisionWheel;
                default -> throw new IllegalArgumentException(key);
            };
        }

        /**
         * Checks each input against its pinned sha256.
         *
         * @throws IOException naming the file when it is missing or differs
         */
        public void verify() throws IOException {
            for (Source s : sources()) {
                Path f = of(s.key());
                if (!Files.isRegularFile(f)) {
                    throw new IOException(f + " is missing (" + s.pkg() + "; the build downloads it: run Maven"
                            + " without -o once)");
                }
                String actual = sha256(f);
                if (!actual.equals(s.sha256())) {
                    throw new IOException(f + " has sha256 " + actual + ", " + s.pkg() + " is pinned at "
                            + s.sha256());
                }
            }
        }
    }

    /** What {@link #build} did; {@code phases} in milliseconds, in order. */
    public record Result(ModelDirectory directory, boolean assembled, long millis, Map<String, Long> phases) {}

    /**
     * Builds {@code <storeRoot>/tessera-base/1} unless {@code skipIfCurrent} and it is already there, intact, built
     * by this recipe from the same inputs with the same weights. The directory is assembled beside the target and
     * moved into place, so a reader never sees half a model.
     */
    public static Result build(Inputs inputs, Path storeRoot, Weights weights, boolean skipIfCurrent)
            throws IOException {
        long t0 = System.nanoTime();
        inputs.verify();
        Path target = storeRoot.resolve(TesseraBase.NAME).resolve(Integer.toString(TesseraBase.VERSION));
        if (skipIfCurrent) {
            ModelDirectory current = currentOrNull(target, weights);
            if (current != null) {
                return new Result(current, false, (System.nanoTime() - t0) / 1_000_000, Map.of());
            }
        }
        Files.createDirectories(storeRoot);
        Path staging = storeRoot.resolve("." + TesseraBase.NAME + "-" + TesseraBase.VERSION + ".staging");
        deleteRecursively(staging);
        Files.createDirectories(staging);
        Map<String, Long> phases = new LinkedHashMap<>();
        phases.put("verify inputs", (System.nanoTime() - t0) / 1_000_000);
        try {
            assemble(inputs, weights, staging, phases);
            Files.createDirectories(target.getParent());
            deleteRecursively(target);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteRecursively(staging);
        }
        ModelDirectory dir = ModelDirectory.open(target);
        return new Result(dir, true, (System.nanoTime() - t0) / 1_000_000, phases);
    }

    /** Writes the model's files into the empty directory {@code dir} and seals it. */
    static ModelDirectory assemble(Inputs inputs, Weights weights, Path dir, Map<String, Long> phases)
            throws IOException {
        long t = System.nanoTime();
        // 1. The text tower, straight from the jar, and its head [α·I_384 ; 0].
        try (ZipFile jar = new ZipFile(inputs.minilmJar().toFile())) {
            copyEntry(jar, MINILM_ONNX_ENTRY, dir.resolve(TesseraBase.TEXT_MODEL_FILE));
            copyEntry(jar, MINILM_TOKENIZER_ENTRY, dir.resolve(TesseraBase.TOKENIZER_FILE));
        }
        textHead(weights).write(dir.resolve(TesseraBase.TEXT_HEAD));
        ModelManifest.TextTower text = new ModelManifest.TextTower(TesseraBase.TEXT_MODEL_FILE,
                TesseraBase.TOKENIZER_FILE, "input_ids", "attention_mask", "last_hidden_state", List.of(),
                TesseraBase.MAX_LENGTH, false, "token_type_ids", ModelManifest.Pooling.MEAN,
                new ModelManifest.Head(TesseraBase.TEXT_HEAD), null);
        phases.put("text tower", ms(t));

        // 2. E: the text tower, served by the runtime from this very directory (sealed text-only for now), embeds
        //    one prompt per ImageNet class.
        t = System.nanoTime();
        List<String> classes = ImageNetClasses.fromTorchvisionWheel(inputs.torchvisionWheel());
        ModelDirectory textOnly = ModelDirectory.seal(dir, manifest(null, text, ""));
        float[][] e;
        try (EmbeddingRuntime rt = EmbeddingRuntime.start(textOnly, assemblyConfig())) {
            e = ZeroShotBridge.classEmbeddings(rt, ZeroShotBridge.prompts(classes), TesseraBase.TEXT_HEAD);
        }
        phases.put("class embeddings E (" + classes.size() + " prompts)", ms(t));

        // 3. The image tower: EfficientNet-Lite0 + the bridge in one graph, and its head diag(β·I, γ·I).
        t = System.nanoTime();
        Map<String, TorchCheckpoint.Tensor> sd = TorchCheckpoint.read(inputs.efficientnetWheel());
        writeModel(imageGraph(sd, e, weights.temperature()), dir.resolve(TesseraBase.IMAGE_MODEL_FILE));
        imageHead(weights).write(dir.resolve(TesseraBase.IMAGE_HEAD));
        ModelManifest.ImageTower image = new ModelManifest.ImageTower(TesseraBase.IMAGE_MODEL_FILE,
                TesseraBase.IMAGE_INPUT, TesseraBase.IMAGE_OUTPUT, List.of(), EfficientNetLite0.IMAGE_SIZE,
                new double[] {EfficientNetLite0.PIXEL_MEAN, EfficientNetLite0.PIXEL_MEAN, EfficientNetLite0.PIXEL_MEAN},
                new double[] {EfficientNetLite0.PIXEL_STD, EfficientNetLite0.PIXEL_STD, EfficientNetLite0.PIXEL_STD},
                ModelManifest.Resize.SHORTEST_EDGE_CENTER_CROP, EfficientNetLite0.RESIZE_SHORT_SIDE, 1.0, "RGB",
                null, new ModelManifest.Head(TesseraBase.IMAGE_HEAD), null);
        phases.put("image tower", ms(t));

        // 4. Side files, then the manifest with every file's sha256.
        t = System.nanoTime();
        JsonNode build = buildStamp(weights);
        Files.writeString(dir.resolve("config.json"), JSON.writeValueAsString(config(weights, build)) + "\n",
                StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("preprocessor_config.json"),
                JSON.writeValueAsString(preprocessorConfig()) + "\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("README.md"), readme(weights), StandardCharsets.UTF_8);
        ModelDirectory sealed = ModelDirectory.seal(dir, manifest(image, text, description()));
        phases.put("side files + seal", ms(t));
        return sealed;
    }

    /** One thread, CPU, no warm-up: the same bits every time on a given machine, and modest on a shared one. */
    static RuntimeConfig assemblyConfig() {
        return RuntimeConfig.defaults().withDevice(Device.CPU).withThreads(1, 1).withWarmUp(false);
    }

    static ModelManifest manifest(ModelManifest.ImageTower image, ModelManifest.TextTower text, String description) {
        return new ModelManifest(ModelManifest.FORMAT, TesseraBase.NAME, TesseraBase.VERSION, TesseraBase.DIMENSION,
                null, description, image, text, Map.of(), null, Map.of());
    }

    static String description() {
        Source minilm = source("minilm");
        Source eff = source("efficientnet");
        return "tessera-base 1, Tessera's default model: one " + TesseraBase.DIMENSION + "-d space = [MiniLM "
                + TesseraBase.TEXT_DIMENSION + " | EfficientNet " + TesseraBase.FEATURE_DIMENSION + "]. Text: "
                + "all-MiniLM-L6-v2 int8 (Apache-2.0; " + minilm.pkg() + "), mean pooling, head [alpha*I;0]. Image: "
                + "EfficientNet-Lite0 ImageNet (weights Apache-2.0; " + eff.pkg() + ") with a zero-shot bridge "
                + "softmax(logits/T)*E into MiniLM's space, E = MiniLM embeddings of '" + TesseraBase.PROMPT
                + "' for the 1,000 ImageNet classes (names from torchvision, BSD-3-Clause); image vector = "
                + "[beta*bridge | gamma*features] through the head diag(beta*I, gamma*I). See README.md.";
    }

    /** The image graph: pixels -> EfficientNet-Lite0 -> (features, logits) -> bridge -> embedding [batch, 1664]. */
    static OnnxMl.ModelProto imageGraph(Map<String, TorchCheckpoint.Tensor> sd, float[][] classEmbeddings,
            float temperature) {
        OnnxGraphBuilder g = new OnnxGraphBuilder("tessera_base_image");
        String x = g.input(TesseraBase.IMAGE_INPUT, FLOAT, "batch", 3, EfficientNetLite0.IMAGE_SIZE,
                EfficientNetLite0.IMAGE_SIZE);
        EfficientNetLite0.Emitted net = EfficientNetLite0.emit(g, x, sd, TesseraBase.FEATURES_OUTPUT,
                TesseraBase.LOGITS_OUTPUT);
        if (net.architecture().headChannels() != TesseraBase.FEATURE_DIMENSION
                || net.architecture().classes() != classEmbeddings.length) {
            throw new IllegalArgumentException("EfficientNet-Lite0 gives " + net.architecture().headChannels()
                    + " features and " + net.architecture().classes() + " classes; tessera-base expects "
                    + TesseraBase.FEATURE_DIMENSION + " and " + classEmbeddings.length);
        }
        ZeroShotBridge.emit(g, net.logits(), net.features(), classEmbeddings, temperature, TesseraBase.IMAGE_OUTPUT);
        g.output(TesseraBase.IMAGE_OUTPUT, FLOAT, "batch", TesseraBase.DIMENSION);
        g.output(TesseraBase.FEATURES_OUTPUT, FLOAT, "batch", TesseraBase.FEATURE_DIMENSION);
        g.output(TesseraBase.LOGITS_OUTPUT, FLOAT, "batch", classEmbeddings.length);
        return g.build(EfficientNetLite0.OPSET, PRODUCER,
                "tessera-base 1 image tower: EfficientNet-Lite0 (ImageNet, batch norm folded) and a zero-shot bridge"
                        + " into all-MiniLM-L6-v2's space. Input " + TesseraBase.IMAGE_INPUT + " [batch,3,224,224]"
                        + " RGB, shorter side 256, centre crop 224, (v-127)/128. Outputs " + TesseraBase.IMAGE_OUTPUT
                        + " [batch," + TesseraBase.DIMENSION + "] = concat(l2norm(softmax(logits/" + temperature
                        + ") . E), l2norm(features)); " + TesseraBase.FEATURES_OUTPUT + " [batch,"
                        + TesseraBase.FEATURE_DIMENSION + "]; " + TesseraBase.LOGITS_OUTPUT + " [batch,"
                        + classEmbeddings.length + "] (ImageNet classes, torchvision order).")
                .toBuilder()
                .addMetadataProps(meta("bridge_prompt", TesseraBase.PROMPT))
                .addMetadataProps(meta("bridge_temperature", Float.toString(temperature)))
                .addMetadataProps(meta("source", source("efficientnet").pkg() + "; " + source("minilm").pkg()))
                .build();
    }

    /** W_txt = [α·I_384 ; 0]: [1664, 384]. */
    static ProjectionHead textHead(Weights w) {
        int in = TesseraBase.TEXT_DIMENSION;
        float[] m = new float[TesseraBase.DIMENSION * in];
        for (int i = 0; i < in; i++) {
            m[i * in + i] = w.text();
        }
        return new ProjectionHead(TesseraBase.DIMENSION, in, m, null);
    }

    /** W_img = diag(β·I_384, γ·I_1280): [1664, 1664]. */
    static ProjectionHead imageHead(Weights w) {
        int d = TesseraBase.DIMENSION;
        float[] m = new float[d * d];
        for (int i = 0; i < d; i++) {
            m[i * d + i] = i < TesseraBase.TEXT_DIMENSION ? w.bridge() : w.features();
        }
        return new ProjectionHead(d, d, m, null);
    }

    // ------------------------------------------------------------------------------------------- side files

    /** What identifies a build: recipe, weights, the pinned inputs, the ONNX Runtime that computed E. */
    static JsonNode buildStamp(Weights w) {
        Map<String, Object> stamp = new LinkedHashMap<>();
        stamp.put("builder", TesseraBaseBuilder.class.getName());
        stamp.put("recipe", RECIPE);
        stamp.put("onnxruntime", ortVersion());
        stamp.put("temperature", w.temperature());
        stamp.put("weights", weightsJson(w));
        Map<String, Object> srcs = new LinkedHashMap<>();
        for (Source s : sources()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("package", s.pkg());
            one.put("file", s.file());
            one.put("url", s.url());
            one.put("sha256", s.sha256());
            one.put("licence", s.licence());
            one.put("content", s.content());
            srcs.put(s.key(), one);
        }
        stamp.put("sources", srcs);
        return JSON.valueToTree(stamp);
    }

    private static Map<String, Object> weightsJson(Weights w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text_alpha", w.text());
        m.put("bridge_beta", w.bridge());
        m.put("features_gamma", w.features());
        return m;
    }

    /** The ONNX Runtime that computes E (part of what makes the bytes; a new version rebuilds). */
    static String ortVersion() {
        return EmbeddingRuntime.onnxRuntimeVersion();
    }

    static Map<String, Object> config(Weights w, JsonNode build) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("_name_or_path", TesseraBase.NAME + "/" + TesseraBase.VERSION);
        c.put("model_type", TesseraBase.NAME);
        c.put("projection_dim", TesseraBase.DIMENSION);
        Map<String, Object> text = new LinkedHashMap<>();
        text.put("model", "sentence-transformers/all-MiniLM-L6-v2 (int8 dynamic quantisation)");
        text.put("file", TesseraBase.TEXT_MODEL_FILE);
        text.put("hidden_size", TesseraBase.TEXT_DIMENSION);
        text.put("pooling", "mean");
        text.put("max_length", TesseraBase.MAX_LENGTH);
        text.put("head", ordered("file", TesseraBase.TEXT_HEAD, "shape", List.of(TesseraBase.DIMENSION,
                TesseraBase.TEXT_DIMENSION), "init", "[alpha*I_384 ; 0]", "alpha", w.text()));
        c.put("text_config", text);
        Map<String, Object> vision = new LinkedHashMap<>();
        vision.put("model", "EfficientNet-Lite0 (ImageNet-1k)");
        vision.put("file", TesseraBase.IMAGE_MODEL_FILE);
        vision.put("image_size", EfficientNetLite0.IMAGE_SIZE);
        vision.put("feature_dim", TesseraBase.FEATURE_DIMENSION);
        vision.put("num_classes", ImageNetClasses.COUNT);
        vision.put("output", TesseraBase.IMAGE_OUTPUT);
        vision.put("head", ordered("file", TesseraBase.IMAGE_HEAD, "shape", List.of(TesseraBase.DIMENSION,
                TesseraBase.DIMENSION), "init", "diag(beta*I_384, gamma*I_1280)", "beta", w.bridge(), "gamma",
                w.features()));
        c.put("vision_config", vision);
        Map<String, Object> bridge = new LinkedHashMap<>();
        bridge.put("formula", "b = softmax(logits / temperature) . E; embedding = concat(l2norm(b), l2norm(features))");
        bridge.put("prompt", TesseraBase.PROMPT);
        bridge.put("temperature", w.temperature());
        bridge.put("class_embeddings", TesseraBase.CLASS_EMBEDDINGS + " [" + ImageNetClasses.COUNT + ", "
                + TesseraBase.TEXT_DIMENSION + "], L2-normalised MiniLM embeddings, each prompt embedded alone");
        c.put("bridge", bridge);
        c.put(BUILD_KEY, build);
        return c;
    }

    static Map<String, Object> preprocessorConfig() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("image_processor_type", "EfficientNetImageProcessor");
        p.put("do_resize", true);
        p.put("size", ordered("shortest_edge", EfficientNetLite0.RESIZE_SHORT_SIDE));
        p.put("resample", 2);
        p.put("do_center_crop", true);
        p.put("crop_size", ordered("height", EfficientNetLite0.IMAGE_SIZE, "width", EfficientNetLite0.IMAGE_SIZE));
        p.put("do_rescale", false);
        p.put("rescale_factor", 1.0);
        p.put("do_normalize", true);
        double mean = EfficientNetLite0.PIXEL_MEAN;
        double std = EfficientNetLite0.PIXEL_STD;
        p.put("image_mean", List.of(mean, mean, mean));
        p.put("image_std", List.of(std, std, std));
        p.put("channel_order", "RGB");
        return p;
    }

    /** A map that keeps the order given (Map.of iterates in a per-JVM order: the JSON would change). */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    static String readme(Weights w) {
        StringBuilder r = new StringBuilder();
        r.append("# tessera-base 1\n\n")
                .append("Tessera's default model, assembled by `io.tessera.models.base.TesseraBaseBuilder` (module ")
                .append("`models/tessera-base`) from the packages below; nothing comes from a model hub.\n\n")
                .append("One shared space of ").append(TesseraBase.DIMENSION).append(" dimensions = [")
                .append(TesseraBase.TEXT_DIMENSION).append(" MiniLM | ").append(TesseraBase.FEATURE_DIMENSION)
                .append(" EfficientNet-Lite0 features].\n\n")
                .append("## Parts\n\n")
                .append("- `").append(TesseraBase.TEXT_MODEL_FILE).append("`, `").append(TesseraBase.TOKENIZER_FILE)
                .append("`: all-MiniLM-L6-v2, int8 ONNX, as shipped in the Maven jar below (unchanged bytes). ")
                .append("Output `last_hidden_state`, mean pooling over the attention mask, `token_type_ids` = 0, at ")
                .append("most ").append(TesseraBase.MAX_LENGTH).append(" tokens.\n")
                .append("- `").append(TesseraBase.IMAGE_MODEL_FILE).append("`: EfficientNet-Lite0 (ImageNet-1k, ")
                .append("batch norm folded into the convolutions) and a zero-shot bridge into MiniLM's space in one ")
                .append("graph: `b = softmax(logits / T) . E` with T = ").append(w.temperature()).append(" and E = `")
                .append(TesseraBase.CLASS_EMBEDDINGS).append("` [1000, 384], the L2-normalised MiniLM embeddings of `")
                .append(TesseraBase.PROMPT).append("` for the 1,000 ImageNet class names (computed at assembly by ")
                .append("the text tower above, each prompt alone). Output `").append(TesseraBase.IMAGE_OUTPUT)
                .append("` = concat(b/|b|, f/|f|) [batch, ").append(TesseraBase.DIMENSION).append("]; `")
                .append(TesseraBase.FEATURES_OUTPUT).append("` (f, 1280) and `").append(TesseraBase.LOGITS_OUTPUT)
                .append("` (1000) stay visible. Preprocessing: RGB, shorter side 256, centre crop 224, (v - 127) / ")
                .append("128 on 0..255 values.\n")
                .append("- `").append(TesseraBase.TEXT_HEAD).append("`: W_txt [1664, 384] = [alpha I_384 ; 0], alpha = ")
                .append(w.text()).append(".\n")
                .append("- `").append(TesseraBase.IMAGE_HEAD).append("`: W_img [1664, 1664] = diag(beta I_384, ")
                .append("gamma I_1280), beta = ").append(w.bridge()).append(", gamma = ").append(w.features())
                .append(" (gamma/beta = ").append(String.format(Locale.ROOT, "%.2f", w.features() / w.bridge()))
                .append(").\n\n")
                .append("The runtime L2-normalises after the heads, so text<->text is MiniLM's own cosine, ")
                .append("text<->image is beta * cos(MiniLM(text), bridge(image)), and image<->image is ")
                .append("beta^2 * cos(bridges) + gamma^2 * cos(features). The trainer fine-tunes both heads ")
                .append("(LoRA); the backbones stay as they are. No instruction templates.\n\n")
                .append("## Provenance\n\n")
                .append("| package | file | sha256 | licence | used for |\n|---|---|---|---|---|\n");
        for (Source s : sources()) {
            r.append("| `").append(s.pkg()).append("` | [").append(s.file()).append("](").append(s.url())
                    .append(") | `").append(s.sha256()).append("` | ").append(s.licence()).append(" | ")
                    .append(s.content()).append(" |\n");
        }
        r.append("\nEfficientNet-Lite0 weights: Google's TensorFlow release (Apache-2.0), converted to PyTorch by the ")
                .append("package's authors. all-MiniLM-L6-v2: sentence-transformers (Apache-2.0). ImageNet class ")
                .append("names: torchvision (BSD-3-Clause).\n\n")
                .append("Built by recipe ").append(RECIPE).append(" with ONNX Runtime ").append(ortVersion())
                .append(" (CPU, one thread); the same inputs give byte-identical files (see `tessera-model.json` ")
                .append("for every file's sha256).\n");
        return r.toString();
    }

    // ------------------------------------------------------------------------------------------- skip if current

    /** The directory at {@code target} when it is intact and was built by this recipe from the same inputs. */
    static ModelDirectory currentOrNull(Path target, Weights weights) {
        if (!Files.isRegularFile(target.resolve(ModelManifest.FILE_NAME))) {
            return null;
        }
        try {
            ModelDirectory dir = ModelDirectory.open(target);
            JsonNode config = JSON.readTree(Files.readString(target.resolve("config.json")));
            // Compared as parsed JSON on both sides (a float written and read back is a double node).
            JsonNode expected = JSON.readTree(JSON.writeValueAsString(buildStamp(weights)));
            return config.path(BUILD_KEY).equals(expected) ? dir : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------------------------------- helpers

    private static void copyEntry(ZipFile zip, String name, Path to) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new IOException(zip.getName() + " has no " + name);
        }
        Files.createDirectories(to.toAbsolutePath().getParent());
        try (InputStream in = zip.getInputStream(entry)) {
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void writeModel(OnnxMl.ModelProto model, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            model.writeTo(out);
        }
    }

    private static OnnxMl.StringStringEntryProto meta(String key, String value) {
        return OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static void deleteRecursively(Path dir) throws IOException {
        io.tessera.embedding.model.LocalModelStore.deleteRecursively(dir);
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    public static void main(String[] args) throws IOException {
        Path out = null;
        Path inputsDir = Path.of("target", "downloads");
        boolean skipIfCurrent = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(value(args, ++i));
                case "--inputs" -> inputsDir = Path.of(value(args, ++i));
                case "--skip-if-current" -> skipIfCurrent = true;
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (out == null) {
            usage("--out STORE_ROOT is required");
        }
        Result r = build(Inputs.in(inputsDir), out, Weights.chosen(), skipIfCurrent);
        if (!r.assembled()) {
            System.out.printf(Locale.ROOT, "tessera-base builder: %s is current (checked in %d ms)%n",
                    r.directory().root(), r.millis());
            return;
        }
        StringBuilder phases = new StringBuilder();
        r.phases().forEach((k, v) -> phases.append(phases.isEmpty() ? "" : ", ").append(k).append(' ').append(v)
                .append(" ms"));
        System.out.printf(Locale.ROOT, "tessera-base builder: assembled %s in %.1f s (cold start: %s)%n",
                r.directory(), r.millis() / 1000.0, phases);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            usage(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        throw new IllegalArgumentException(problem
                + "; usage: TesseraBaseBuilder --out STORE_ROOT [--skip-if-current] [--inputs DIR]");
    }
}
