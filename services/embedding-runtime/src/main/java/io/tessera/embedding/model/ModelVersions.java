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
 * what the trainer needs to publish a model it trained.
 */
public final class ModelVersions {
    private ModelVersions() {}

    /** A projection's weights, row-major {@code [rows, columns]} = {@code [dimension, inputDimension]}. */
    public record Weights(String initializer, int rows, int columns, float[] values) {}

    /** The current weights of every trainable projection of the model, by initializer name. */
    public static Map<String, Weights> projections(ModelDirectory dir) {
        Map<String, Weights> out = new LinkedHashMap<>();
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
        List<String> known = byFile.values().stream().flatMap(List::stream).toList();
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
