package io.tessera.embedding.model;

import ai.onnx.proto.OnnxMl;
import io.tessera.embedding.onnx.OnnxGraphs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading and replacing the trainable projections of a model directory, and writing the result as a new version:
 * what the trainer needs to publish a model it trained. A projection is either a head file outside the graph (keyed
 * by its path; a head with a bias is presented as {@code [W | b]}, one more column, matching the trailing 1 that
 * {@code EmbeddingRuntime}'s features carry for it) or an in-graph initializer (keyed by its name).
 */
public final class ModelVersions {
    private ModelVersions() {}

    /** A projection's weights, row-major {@code [rows, columns]} = {@code [dimension, inputDimension]}. */
    public record Weights(String initializer, int rows, int columns, float[] values) {}

    /** The current weights of every trainable projection of the model, by initializer name. */
    public static Map<String, Weights> projections(ModelDirectory dir) {
        Map<String, Weights> out = new LinkedHashMap<>();
        for (ModelManifest.Head h : heads(dir.manifest())) {
            ProjectionHead head = readHead(dir.root(), h);
            int in = head.inputDimension();
            int cols = head.bias() == null ? in : in + 1;
            float[] values = new float[head.outputDimension() * cols];
            for (int o = 0; o < head.outputDimension(); o++) {
                System.arraycopy(head.weight(), o * in, values, o * cols, in);
                if (head.bias() != null) {
                    values[o * cols + in] = head.bias()[o];
                }
            }
            out.put(h.file(), new Weights(h.file(), head.outputDimension(), cols, values));
        }
        for (Map.Entry<String, List<String>> e : projectionsByFile(dir.manifest()).entrySet()) {
            OnnxMl.ModelProto proto = parse(dir, e.getKey());
            for (OnnxMl.TensorProto t : proto.getGraph().getInitializerList()) {
                if (e.getValue().contains(t.getName())) {
                    out.put(t.getName(), new Weights(t.getName(), (int) t.getDims(0), (int) t.getDims(1),
                            OnnxGraphs.floats(t)));
                }
            }
        }
        return out;
    }

    /**
     * Writes a copy of {@code source} with some projections replaced as version {@code newVersion} (parent: the
     * source's version) into {@code target}, which must not exist yet, and checks it.
     */
    public static ModelDirectory derive(ModelDirectory source, int newVersion, Map<String, float[]> replacements,
            Path target) {
        Map<String, List<String>> byFile = projectionsByFile(source.manifest());
        List<String> known = new ArrayList<>(byFile.values().stream().flatMap(List::stream).toList());
        List<ModelManifest.Head> heads = heads(source.manifest());
        heads.forEach(h -> known.add(h.file()));
        for (String name : replacements.keySet()) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("'" + name + "' is not a trainable projection of "
                        + source.ref() + " (those are " + known + ")");
            }
        }
        try {
            if (Files.exists(target)) {
                throw new IllegalArgumentException(target + " already exists");
            }
            Files.createDirectories(target);
            LocalModelStore.copyFiles(source.root(), target, source.manifest().files());
            for (ModelManifest.Head h : heads) {
                float[] values = replacements.get(h.file());
                if (values != null) {
                    ProjectionHead old = readHead(source.root(), h);
                    int in = old.inputDimension();
                    int cols = old.bias() == null ? in : in + 1;
                    if (values.length != old.outputDimension() * cols) {
                        throw new IllegalArgumentException("head " + h.file() + " takes " + old.outputDimension()
                                + "x" + cols + " values, got " + values.length);
                    }
                    float[] w = new float[old.outputDimension() * in];
                    float[] b = old.bias() == null ? null : new float[old.outputDimension()];
                    for (int o = 0; o < old.outputDimension(); o++) {
                        System.arraycopy(values, o * cols, w, o * in, in);
                        if (b != null) {
                            b[o] = values[o * cols + in];
                        }
                    }
                    new ProjectionHead(old.outputDimension(), in, w, b).write(target.resolve(h.file()));
                }
            }
            for (Map.Entry<String, List<String>> e : byFile.entrySet()) {
                Map<String, float[]> here = new HashMap<>();
                for (String name : e.getValue()) {
                    if (replacements.containsKey(name)) {
                        here.put(name, replacements.get(name));
                    }
                }
                if (!here.isEmpty()) {
                    OnnxMl.ModelProto edited = OnnxGraphs.replaceInitializers(parse(source, e.getKey()), here);
                    Files.write(target.resolve(e.getKey()), edited.toByteArray());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
        ModelManifest m = source.manifest().withVersion(newVersion, source.manifest().version(), Map.of());
        return ModelDirectory.seal(target, m);
    }

    private static List<ModelManifest.Head> heads(ModelManifest m) {
        List<ModelManifest.Head> out = new ArrayList<>();
        if (m.image() != null && m.image().head() != null) {
            out.add(m.image().head());
        }
        if (m.text() != null && m.text().head() != null) {
            out.add(m.text().head());
        }
        return out;
    }

    private static ProjectionHead readHead(Path root, ModelManifest.Head h) {
        try {
            return ProjectionHead.read(root.resolve(h.file()));
        } catch (IOException e) {
            throw new ModelLoadException("cannot read head " + root.resolve(h.file()) + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, List<String>> projectionsByFile(ModelManifest m) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (m.image() != null) {
            out.computeIfAbsent(m.image().file(), k -> new ArrayList<>())
                    .addAll(m.image().projections().stream().map(ModelManifest.Projection::initializer).toList());
        }
        if (m.text() != null) {
            out.computeIfAbsent(m.text().file(), k -> new ArrayList<>())
                    .addAll(m.text().projections().stream().map(ModelManifest.Projection::initializer).toList());
        }
        return out;
    }

    private static OnnxMl.ModelProto parse(ModelDirectory dir, String file) {
        try {
            return OnnxGraphs.parse(dir.file(file));
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + dir.file(file) + ": " + e.getMessage(), e);
        }
    }
}
