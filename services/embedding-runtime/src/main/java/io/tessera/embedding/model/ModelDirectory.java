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
     * Reads and checks a model directory.
     *
     * @throws ModelLoadException naming the directory, the file and the problem
     */
    public static ModelDirectory open(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        ModelManifest manifest = readManifest(root);
        checkFields(root, manifest);
        checkFiles(root, manifest);
        if (manifest.image() != null) {
            checkImageTower(root, manifest);
        }
        if (manifest.text() != null) {
            checkTextTower(root, manifest);
        }
        return new ModelDirectory(root, manifest);
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
        if (m.format() != ModelManifest.FORMAT) {
            problems.add("format is " + m.format() + ", this runtime reads format " + ModelManifest.FORMAT);
        }
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
            if (t.file() == null || t.input() == null || t.output() == null) {
                problems.add("image tower needs file, input and output");
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
            if (t.file() == null || t.tokenizer() == null || t.inputIds() == null || t.output() == null) {
                problems.add("text tower needs file, tokenizer, inputIds and output");
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

    private static OnnxGraphs.Signature signature(Path root, ModelManifest m, String file) {
        try {
            OnnxMl.ModelProto proto = OnnxGraphs.parse(root.resolve(file));
            return OnnxGraphs.signature(proto);
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException("model " + m.ref() + " at " + root + ": " + file
                    + " is not a valid ONNX model: " + e.getMessage(), e);
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

    private static void checkImageTower(Path root, ModelManifest m) {
        ModelManifest.ImageTower t = m.image();
        OnnxGraphs.Signature sig = signature(root, m, t.file());
        requireName(m, root, t.file(), "input", t.input(), sig.inputs());
        requireName(m, root, t.file(), "output", t.output(), sig.outputs());
        checkProjections(root, m, t.file(), sig, t.projections());
        Path pre = root.resolve("preprocessor_config.json");
        if (Files.isRegularFile(pre)) {
            try {
                JsonNode cfg = ModelManifest.json().readTree(Files.readString(pre));
                JsonNode crop = cfg.path("crop_size");
                int cropSize = crop.isObject() ? crop.path("height").asInt(-1) : crop.asInt(-1);
                if (cropSize > 0 && cropSize != t.imageSize()) {
                    throw new ModelLoadException("model " + m.ref() + " at " + root
                            + ": preprocessor_config.json crop_size " + cropSize + " differs from the manifest's"
                            + " image.imageSize " + t.imageSize());
                }
            } catch (IOException e) {
                throw new ModelLoadException("model " + m.ref() + " at " + root
                        + ": preprocessor_config.json is not valid JSON: " + e.getMessage(), e);
            }
        }
    }

    private static void checkTextTower(Path root, ModelManifest m) {
        ModelManifest.TextTower t = m.text();
        OnnxGraphs.Signature sig = signature(root, m, t.file());
        requireName(m, root, t.file(), "input", t.inputIds(), sig.inputs());
        if (t.attentionMask() != null) {
            requireName(m, root, t.file(), "input", t.attentionMask(), sig.inputs());
        }
        requireName(m, root, t.file(), "output", t.output(), sig.outputs());
        checkProjections(root, m, t.file(), sig, t.projections());
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
    }
}
