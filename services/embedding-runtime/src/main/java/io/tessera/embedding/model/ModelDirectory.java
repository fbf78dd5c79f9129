package io.tessera.embedding.model;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.embedding.onnx.OnnxGraphs;
import io.tessera.embedding.internal.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A model directory whose manifest was read and whose files were checked: every file listed exists and has the
 * listed sha256, every file the towers use is listed, and every name the manifest gives (inputs, outputs,
 * projection initializers and their features outputs) exists in the graph with a consistent shape. Instances exist
 * only after those checks passed ({@link #open(Path)}).
 */
public final class ModelDirectory {
    private final Path root;
    private final ModelManifest manifest;

    private ModelDirectory(Path root, ModelManifest manifest) {
        this.root = root;
        this.manifest = manifest;
    }

    public Path root() {
        return root;
    }

    public ModelManifest manifest() {
        return manifest;
    }

    public ModelRef ref() {
        return manifest.ref();
    }

    /** The absolute path of a file of the directory, by its manifest path. */
    public Path file(String relative) {
        return root.resolve(relative);
    }

    @Override
    public String toString() {
        return manifest.ref() + " at " + root;
    }

    /**
     * The SHA-256 of the manifest file: it lists the sha256 of every other file, so this one hash pins the whole
     * directory ({@code ModelVersion.sha256}).
     */
    public String manifestSha256() {
        try {
            return Sha256.of(root.resolve(ModelManifest.FILE_NAME));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash the manifest of " + this, e);
        }
    }

    /**
     * Reads and checks a model directory.
     *
     * @throws ModelLoadException naming the directory, the file and the problem
     */
    public static ModelDirectory open(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        ModelManifest manifest = readManifest(root);
        checkFields(root, manifest);
        checkFiles(root, manifest);
        ModelManifest.ImageTower image = manifest.image();
        ModelManifest.TextTower text = manifest.text();
        if (image != null) {
            image = checkImageTower(root, manifest);
        }
        if (text != null) {
            text = checkTextTower(root, manifest);
        }
        // Names left out of a format-2 manifest are resolved from the graph; callers see them filled in.
        return new ModelDirectory(root, manifest.withTowers(image, text));
    }

    /**
     * Writes the manifest of a directory whose other files are in place: computes the sha256 of every file under
     * {@code dir} except the manifest itself, then checks the result as {@link #open(Path)} does.
     */
    public static ModelDirectory seal(Path dir, ModelManifest manifest) {
        Path root = dir.toAbsolutePath().normalize();
        Map<String, String> sums = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String rel = root.relativize(f).toString().replace('\\', '/');
                if (!rel.equals(ModelManifest.FILE_NAME)) {
                    sums.put(rel, Sha256.of(f));
                }
            }
            Path tmp = root.resolve(ModelManifest.FILE_NAME + ".tmp");
            Files.writeString(tmp, manifest.withFiles(sums).toJson(), StandardCharsets.UTF_8);
            Files.move(tmp, root.resolve(ModelManifest.FILE_NAME), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the manifest of " + root, e);
        }
        return open(root);
    }

    private static ModelManifest readManifest(Path root) {
        Path file = root.resolve(ModelManifest.FILE_NAME);
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ModelLoadException("model directory " + root + " has no " + ModelManifest.FILE_NAME
                    + " (is this a Tessera model directory?)");
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            return ModelManifest.fromJson(json);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new ModelLoadException(file + " is not a valid Tessera manifest: " + e.getMessage(), e);
        }
    }

    private static void checkFields(Path root, ModelManifest m) {
        List<String> problems = new ArrayList<>();
        if (m.format() != ModelManifest.FORMAT && m.format() != ModelManifest.FORMAT_1) {
            problems.add("format is " + m.format() + ", this runtime reads formats " + ModelManifest.FORMAT_1
                    + " and " + ModelManifest.FORMAT);
        }
        boolean v1 = m.format() == ModelManifest.FORMAT_1;
        try {
            new ModelRef(m.name(), m.version());
        } catch (RuntimeException e) {
            problems.add(e.getMessage());
        }
        if (m.dimension() < 1) {
            problems.add("dimension must be positive, is " + m.dimension());
        }
        if (m.image() == null && m.text() == null) {
            problems.add("neither an image nor a text tower is declared");
        }
        if (m.image() != null) {
            ModelManifest.ImageTower t = m.image();
            if (t.file() == null || (v1 && (t.input() == null || t.output() == null))) {
                problems.add(v1 ? "image tower needs file, input and output" : "image tower needs file");
            }
            if (v1 && (t.pooling() != null || t.head() != null || t.resize() != null)) {
                problems.add("image.pooling, image.head and image.resize need format " + ModelManifest.FORMAT);
            }
            if (t.head() != null && !t.projections().isEmpty()) {
                problems.add("the image tower has both a head and in-graph projections; declare one of them");
            }
            if (t.rescaleFactor() != null && !(t.rescaleFactor() > 0)) {
                problems.add("image.rescaleFactor must be positive");
            }
            if (t.channelOrder() != null && !t.channelOrder().equalsIgnoreCase("RGB")
                    && !t.channelOrder().equalsIgnoreCase("BGR")) {
                problems.add("image.channelOrder must be RGB or BGR, is " + t.channelOrder());
            }
            if (t.imageSize() < 1) {
                problems.add("image.imageSize must be positive, is " + t.imageSize());
            }
            if (t.mean() == null || t.mean().length != 3 || t.std() == null || t.std().length != 3
                    || Arrays.stream(t.std()).anyMatch(s -> !(s > 0))) {
                problems.add("image.mean and image.std need 3 values each, std positive");
            }
        }
        if (m.text() != null) {
            ModelManifest.TextTower t = m.text();
            if (t.file() == null || t.tokenizer() == null || (v1 && (t.inputIds() == null || t.output() == null))) {
                problems.add(v1 ? "text tower needs file, tokenizer, inputIds and output"
                        : "text tower needs file and tokenizer");
            }
            if (v1 && (t.pooling() != null || t.head() != null || t.tokenTypeIds() != null)) {
                problems.add("text.pooling, text.head and text.tokenTypeIds need format " + ModelManifest.FORMAT);
            }
            if (t.head() != null && !t.projections().isEmpty()) {
                problems.add("the text tower has both a head and in-graph projections; declare one of them");
            }
            if (t.poolingMode() == ModelManifest.Pooling.MEAN && t.attentionMask() == null) {
                // Without a mask the padding of a batch would enter the mean: the same text would embed
                // differently depending on its batch neighbours.
                problems.add("text.pooling mean needs the attentionMask input");
            }
            if (t.maxLength() < 2) {
                problems.add("text.maxLength must be at least 2, is " + t.maxLength());
            }
        }
        if (m.defaultTask() != null && !m.instructions().containsKey(m.defaultTask())) {
            problems.add("defaultTask '" + m.defaultTask() + "' has no entry in instructions");
        }
        if (!problems.isEmpty()) {
            throw new ModelLoadException("manifest of " + root + " is invalid: " + String.join("; ", problems));
        }
    }

    private static void checkFiles(Path root, ModelManifest m) {
        List<String> used = new ArrayList<>();
        if (m.image() != null) {
            used.add(m.image().file());
        }
        if (m.text() != null) {
            used.add(m.text().file());
            used.add(m.text().tokenizer());
        }
        if (m.image() != null && m.image().head() != null) {
            used.add(m.image().head().file());
        }
        if (m.text() != null && m.text().head() != null) {
            used.add(m.text().head().file());
        }
        for (String u : used) {
            if (!m.files().containsKey(u)) {
                throw new ModelLoadException("model " + m.ref() + " at " + root + ": " + u
                        + " is used by a tower but has no sha256 in " + ModelManifest.FILE_NAME);
            }
        }
        for (Map.Entry<String, String> e : m.files().entrySet()) {
            Path f = root.resolve(e.getKey()).normalize();
            if (!f.startsWith(root)) {
                throw new ModelLoadException("model " + m.ref() + " at " + root + ": file path " + e.getKey()
                        + " leaves the model directory");
            }
            if (!Files.isRegularFile(f)) {
                throw new ModelLoadException("model " + m.ref() + " at " + root + ": missing file " + e.getKey()
                        + " (listed in " + ModelManifest.FILE_NAME + ")");
            }
            String actual;
            try {
                actual = Sha256.of(f);
            } catch (IOException ex) {
                throw new ModelLoadException("cannot read " + f + ": " + ex.getMessage(), ex);
            }
            if (!actual.equalsIgnoreCase(e.getValue())) {
                throw new ModelLoadException("model " + m.ref() + " at " + root + ": checksum mismatch for "
                        + e.getKey() + ": manifest says sha256 " + e.getValue() + ", file has " + actual
                        + " (corrupt or modified; re-install the model)");
            }
        }
    }

    private static void requireName(ModelManifest m, Path root, String file, String what, String name,
            List<String> available) {
        if (!available.contains(name)) {
            throw new ModelLoadException("model " + m.ref() + " at " + root + ": " + file + " has no " + what
                    + " named '" + name + "' (it has: " + String.join(", ", available) + ")");
        }
    }

    private static void checkProjections(Path root, ModelManifest m, String file, OnnxGraphs.Signature sig,
            List<ModelManifest.Projection> projections) {
        for (ModelManifest.Projection p : projections) {
            long[] dims = sig.initializers().get(p.initializer());
            if (dims == null) {
                throw new ModelLoadException("model " + m.ref() + " at " + root + ": " + file
                        + " has no initializer named '" + p.initializer() + "' (the manifest lists it as a"
                        + " trainable projection)");
            }
            if (dims.length != 2 || dims[0] != m.dimension() || dims[1] != p.inputDimension()) {
                throw new ModelLoadException("model " + m.ref() + " at " + root + ": projection '"
                        + p.initializer() + "' in " + file + " has shape " + Arrays.toString(dims)
                        + ", the manifest implies [" + m.dimension() + ", " + p.inputDimension() + "]");
            }
            if (p.featuresOutput() == null) {
                throw new ModelLoadException("model " + m.ref() + " at " + root + ": projection '"
                        + p.initializer() + "' names no featuresOutput");
            }
            requireName(m, root, file, "output", p.featuresOutput(), sig.outputs());
        }
    }

    /** The one name of {@code candidates}, for a name the manifest leaves out; else an error naming them all. */
    private static String resolve(ModelManifest m, Path root, String file, String what, String given,
            List<String> candidates) {
        if (given != null) {
            requireName(m, root, file, what, given, candidates);
            return given;
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        throw new ModelLoadException("model " + m.ref() + " at " + root + ": " + file + " has " + candidates.size()
                + " " + what + "s (" + String.join(", ", candidates) + "); name the one to use in "
                + ModelManifest.FILE_NAME);
    }

    private static void checkExternalData(Path root, ModelManifest m, String file, OnnxMl.ModelProto proto) {
        for (String location : OnnxGraphs.externalDataFiles(proto)) {
            String rel = root.relativize(root.resolve(file).resolveSibling(location).normalize()).toString()
                    .replace('\\', '/');
            if (!m.files().containsKey(rel)) {
                throw new ModelLoadException("model " + m.ref() + " at " + root + ": " + file
                        + " keeps weights in the external data file " + rel + ", which has no sha256 in "
                        + ModelManifest.FILE_NAME + " (re-import the model so every file is sealed)");
            }
        }
    }

    private static void checkHead(Path root, ModelManifest m, String tower, ModelManifest.Head head) {
        if (head == null) {
            return;
        }
        ProjectionHead h;
        try {
            h = ProjectionHead.read(root.resolve(head.file()));
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException("model " + m.ref() + " at " + root + ": the " + tower + " head "
                    + head.file() + " cannot be read: " + e.getMessage(), e);
        }
        if (h.outputDimension() != m.dimension()) {
            throw new ModelLoadException("model " + m.ref() + " at " + root + ": the " + tower + " head "
                    + head.file() + " maps to " + h.outputDimension() + " dimensions, the model's dimension is "
                    + m.dimension());
        }
    }

    private static OnnxMl.ModelProto parseGraph(Path root, ModelManifest m, String file) {
        try {
            // Names, shapes and external-data entries only: the weights are ONNX Runtime's business.
            return OnnxGraphs.outline(root.resolve(file));
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException("model " + m.ref() + " at " + root + ": " + file
                    + " is not a valid ONNX model: " + e.getMessage(), e);
        }
    }

    private static OnnxGraphs.Signature signature(Path root, ModelManifest m, String file, OnnxMl.ModelProto proto) {
        try {
            return OnnxGraphs.signature(proto);
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException("model " + m.ref() + " at " + root + ": " + file
                    + " is not a valid ONNX model: " + e.getMessage(), e);
        }
    }

    private static ModelManifest.ImageTower checkImageTower(Path root, ModelManifest m) {
        ModelManifest.ImageTower t = m.image();
        OnnxMl.ModelProto proto = parseGraph(root, m, t.file());
        OnnxGraphs.Signature sig = signature(root, m, t.file(), proto);
        checkExternalData(root, m, t.file(), proto);
        String input = resolve(m, root, t.file(), "input", t.input(), sig.inputs());
        String output = resolve(m, root, t.file(), "output", t.output(), sig.outputs());
        checkProjections(root, m, t.file(), sig, t.projections());
        checkHead(root, m, "image", t.head());
        Path pre = root.resolve("preprocessor_config.json");
        if (Files.isRegularFile(pre)) {
            try {
                JsonNode cfg = ModelManifest.json().readTree(Files.readString(pre));
                JsonNode crop = cfg.path("crop_size");
                int cropSize = crop.isObject() ? crop.path("height").asInt(-1) : crop.asInt(-1);
                if (cropSize > 0 && cropSize != t.imageSize()
                        && t.resizeMode() == ModelManifest.Resize.SHORTEST_EDGE_CENTER_CROP) {
                    throw new ModelLoadException("model " + m.ref() + " at " + root
                            + ": preprocessor_config.json crop_size " + cropSize + " differs from the manifest's"
                            + " image.imageSize " + t.imageSize());
                }
            } catch (IOException e) {
                throw new ModelLoadException("model " + m.ref() + " at " + root
                        + ": preprocessor_config.json is not valid JSON: " + e.getMessage(), e);
            }
        }
        return t.withNames(input, output);
    }

    private static ModelManifest.TextTower checkTextTower(Path root, ModelManifest m) {
        ModelManifest.TextTower t = m.text();
        OnnxMl.ModelProto proto = parseGraph(root, m, t.file());
        OnnxGraphs.Signature sig = signature(root, m, t.file(), proto);
        checkExternalData(root, m, t.file(), proto);
        String ids = resolve(m, root, t.file(), "input", t.inputIds(), sig.inputs());
        if (t.attentionMask() != null) {
            requireName(m, root, t.file(), "input", t.attentionMask(), sig.inputs());
        }
        if (t.tokenTypeIds() != null) {
            requireName(m, root, t.file(), "input", t.tokenTypeIds(), sig.inputs());
        }
        List<String> unfed = new ArrayList<>(sig.inputs());
        unfed.removeAll(java.util.Arrays.asList(ids, t.attentionMask(), t.tokenTypeIds()));
        if (!unfed.isEmpty()) {
            throw new ModelLoadException("model " + m.ref() + " at " + root + ": " + t.file() + " also takes "
                    + unfed + ", which the manifest does not map (text.attentionMask, text.tokenTypeIds)");
        }
        String output = resolve(m, root, t.file(), "output", t.output(), sig.outputs());
        checkProjections(root, m, t.file(), sig, t.projections());
        checkHead(root, m, "text", t.head());
        try {
            JsonNode tok = ModelManifest.json().readTree(Files.readString(root.resolve(t.tokenizer())));
            if (!tok.has("model")) {
                throw new ModelLoadException("model " + m.ref() + " at " + root + ": " + t.tokenizer()
                        + " is not a Hugging Face tokenizer.json (no \"model\" section)");
            }
        } catch (IOException e) {
            throw new ModelLoadException("model " + m.ref() + " at " + root + ": " + t.tokenizer()
                    + " is not valid JSON: " + e.getMessage(), e);
        }
        return t.withNames(ids, t.attentionMask(), t.tokenTypeIds(), output);
    }
}
