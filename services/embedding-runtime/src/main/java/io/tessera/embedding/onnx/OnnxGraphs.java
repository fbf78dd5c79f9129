package io.tessera.embedding.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and rewrites ONNX files at the protobuf level (onnx.proto classes from tribuo-util-onnx). ONNX Runtime's
 * Java API does not list initializers, and the trainer needs to read and replace the projection weights, so the
 * few operations needed here are done on the protobuf directly.
 */
public final class OnnxGraphs {
    public static final int FLOAT_TYPE = OnnxMl.TensorProto.DataType.FLOAT.getNumber();
    public static final int FLOAT16_TYPE = OnnxMl.TensorProto.DataType.FLOAT16.getNumber();

    private OnnxGraphs() {}

    /**
     * The part of a graph that computes {@code outputs} from {@code inputs}: the nodes those outputs depend on, the
     * initializers and value infos they use, and of the graph inputs only those they read (as
     * {@code onnx.utils.extract_model} does, which has no Java counterpart). Used to split an export that holds
     * both CLIP towers in one graph into one graph per tower.
     *
     * @throws IllegalArgumentException when an output is unknown or depends on an input not in {@code inputs}
     */
    public static OnnxMl.ModelProto extract(OnnxMl.ModelProto model, List<String> inputs, List<String> outputs) {
        OnnxMl.GraphProto g = model.getGraph();
        Map<String, OnnxMl.NodeProto> producer = new java.util.HashMap<>();
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            for (String o : n.getOutputList()) {
                producer.put(o, n);
            }
        }
        Set<String> initializers = new java.util.HashSet<>();
        g.getInitializerList().forEach(t -> initializers.add(t.getName()));
        Set<String> graphInputs = new java.util.HashSet<>();
        g.getInputList().forEach(v -> graphInputs.add(v.getName()));
        Set<OnnxMl.NodeProto> keep = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        Set<String> usedValues = new java.util.HashSet<>();
        java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(outputs);
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (v.isEmpty() || !usedValues.add(v)) {
                continue;
            }
            OnnxMl.NodeProto n = producer.get(v);
            if (n != null) {
                if (keep.add(n)) {
                    todo.addAll(n.getInputList());
                    // Subgraphs (If/Loop bodies) may read outer values: keep those too.
                    for (OnnxMl.AttributeProto a : n.getAttributeList()) {
                        if (a.hasG()) {
                            a.getG().getNodeList().forEach(sub -> todo.addAll(sub.getInputList()));
                        }
                    }
                }
            } else if (!initializers.contains(v) && graphInputs.contains(v) && !inputs.contains(v)) {
                throw new IllegalArgumentException("output(s) " + outputs + " depend on graph input '" + v
                        + "', which is not among " + inputs);
            } else if (!initializers.contains(v) && !graphInputs.contains(v)) {
                if (outputs.contains(v)) {
                    throw new IllegalArgumentException("the graph has no value named '" + v + "'");
                }
            }
        }
        OnnxMl.GraphProto.Builder out = OnnxMl.GraphProto.newBuilder().setName(g.getName());
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            if (keep.contains(n)) {
                out.addNode(n);
            }
        }
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            if (usedValues.contains(t.getName())) {
                out.addInitializer(t);
            }
        }
        for (OnnxMl.ValueInfoProto v : g.getInputList()) {
            if (usedValues.contains(v.getName()) && !initializers.contains(v.getName())) {
                out.addInput(v);
            }
        }
        for (OnnxMl.ValueInfoProto v : g.getOutputList()) {
            if (outputs.contains(v.getName())) {
                out.addOutput(v);
            }
        }
        for (OnnxMl.ValueInfoProto v : g.getValueInfoList()) {
            if (usedValues.contains(v.getName())) {
                out.addValueInfo(v);
            }
        }
        return model.toBuilder().setGraph(out).build();
    }

    /** Names a graph declares: inputs and outputs (in order) and the shape of every initializer. */
    public record Signature(List<String> inputs, List<String> outputs, Map<String, long[]> initializers) {}

    public static OnnxMl.ModelProto parse(Path file) throws IOException {
        // One read then a parse of the array: much faster than streaming large raw_data fields.
        CodedInputStream coded = CodedInputStream.newInstance(Files.readAllBytes(file));
        coded.setSizeLimit(Integer.MAX_VALUE);
        coded.setRecursionLimit(256);
        return OnnxMl.ModelProto.parseFrom(coded);
    }

    /**
     * The model without its weights: inputs, outputs, nodes, opsets, and every initializer's name, type, shape and
     * external-data entries, but none of its values. Reading a graph whose weights are inline costs about twice its
     * size in memory; a service that only checks names and shapes of a 600 MB CLIP export must not pay that.
     * Streams the file with protobuf's own reader and skips the value fields (field numbers of onnx.proto).
     */
    public static OnnxMl.ModelProto outline(Path file) throws IOException {
        try (var stream = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            CodedInputStream in = CodedInputStream.newInstance(stream);
            in.setSizeLimit(Integer.MAX_VALUE);
            in.setRecursionLimit(256);
            OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder();
            while (true) {
                int tag = in.readTag();
                if (tag == 0) {
                    break;
                }
                switch (com.google.protobuf.WireFormat.getTagFieldNumber(tag)) {
                    case 1 -> model.setIrVersion(in.readInt64());
                    case 7 -> {
                        int limit = in.pushLimit(in.readRawVarint32());
                        model.setGraph(graphOutline(in));
                        in.popLimit(limit);
                    }
                    case 8 -> model.addOpsetImport(OnnxMl.OperatorSetIdProto.parseFrom(in.readBytes()));
                    default -> in.skipField(tag);
                }
            }
            return model.build();
        }
    }

    private static OnnxMl.GraphProto graphOutline(CodedInputStream in) throws IOException {
        OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                return graph.build();
            }
            switch (com.google.protobuf.WireFormat.getTagFieldNumber(tag)) {
                case 1 -> graph.addNode(OnnxMl.NodeProto.parseFrom(in.readBytes()));
                case 2 -> graph.setName(in.readString());
                case 5 -> {
                    int limit = in.pushLimit(in.readRawVarint32());
                    graph.addInitializer(tensorOutline(in));
                    in.popLimit(limit);
                }
                case 11 -> graph.addInput(OnnxMl.ValueInfoProto.parseFrom(in.readBytes()));
                case 12 -> graph.addOutput(OnnxMl.ValueInfoProto.parseFrom(in.readBytes()));
                default -> in.skipField(tag);
            }
        }
    }

    private static OnnxMl.TensorProto tensorOutline(CodedInputStream in) throws IOException {
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder();
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                return t.build();
            }
            switch (com.google.protobuf.WireFormat.getTagFieldNumber(tag)) {
                case 1 -> {
                    if (com.google.protobuf.WireFormat.getTagWireType(tag) == com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        int limit = in.pushLimit(in.readRawVarint32());
                        while (in.getBytesUntilLimit() > 0) {
                            t.addDims(in.readInt64());
                        }
                        in.popLimit(limit);
                    } else {
                        t.addDims(in.readInt64());
                    }
                }
                case 2 -> t.setDataType(in.readInt32());
                case 8 -> t.setName(in.readString());
                case 13 -> t.addExternalData(OnnxMl.StringStringEntryProto.parseFrom(in.readBytes()));
                case 14 -> {
                    OnnxMl.TensorProto.DataLocation location = OnnxMl.TensorProto.DataLocation.forNumber(in.readEnum());
                    if (location != null) {
                        t.setDataLocation(location);
                    }
                }
                default -> in.skipField(tag);
            }
        }
    }

    public static Signature signature(OnnxMl.ModelProto model) throws InvalidProtocolBufferException {
        OnnxMl.GraphProto graph = model.getGraph();
        if (graph.getNodeCount() == 0) {
            throw new InvalidProtocolBufferException("the model has no graph nodes");
        }
        Set<String> initializerNames = new java.util.HashSet<>();
        Map<String, long[]> initializers = new LinkedHashMap<>();
        for (OnnxMl.TensorProto t : graph.getInitializerList()) {
            initializers.put(t.getName(), t.getDimsList().stream().mapToLong(Long::longValue).toArray());
            initializerNames.add(t.getName());
        }
        // Graph inputs may repeat initializers (older exporters); those are not real inputs.
        List<String> inputs = graph.getInputList().stream().map(OnnxMl.ValueInfoProto::getName)
                .filter(n -> !initializerNames.contains(n)).toList();
        List<String> outputs = graph.getOutputList().stream().map(OnnxMl.ValueInfoProto::getName).toList();
        return new Signature(inputs, outputs, initializers);
    }

    /**
     * The external data files a graph's initializers point at (ONNX's format for models over 2 GB: the weights
     * live beside the {@code .onnx} file, named by each tensor's {@code location} entry), relative to the graph.
     */
    public static Set<String> externalDataFiles(OnnxMl.ModelProto model) {
        Set<String> out = new java.util.TreeSet<>();
        for (OnnxMl.TensorProto t : model.getGraph().getInitializerList()) {
            if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
                for (OnnxMl.StringStringEntryProto e : t.getExternalDataList()) {
                    if (e.getKey().equals("location")) {
                        out.add(e.getValue());
                    }
                }
            }
        }
        return out;
    }

    /** A float initializer's values, whether stored as float_data or raw little-endian bytes. */
    public static float[] floats(OnnxMl.TensorProto tensor) {
        if (tensor.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
            throw new IllegalArgumentException("initializer " + tensor.getName() + " is not float32 (data type "
                    + tensor.getDataType() + ")");
        }
        if (tensor.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
            throw new IllegalArgumentException("initializer " + tensor.getName()
                    + " is stored as external data, which Tessera does not edit");
        }
        if (!tensor.getRawData().isEmpty()) {
            ByteBuffer raw = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[raw.remaining() / Float.BYTES];
            raw.asFloatBuffer().get(out);
            return out;
        }
        float[] out = new float[tensor.getFloatDataCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = tensor.getFloatData(i);
        }
        return out;
    }

    /** A float32 initializer with raw little-endian data (compact, and what ONNX Runtime reads fastest). */
    public static OnnxMl.TensorProto floatTensor(String name, long[] dims, float[] values) {
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        if (count != values.length) {
            throw new IllegalArgumentException("initializer " + name + ": " + values.length
                    + " values for shape " + java.util.Arrays.toString(dims));
        }
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        OnnxMl.TensorProto.Builder b = OnnxMl.TensorProto.newBuilder()
                .setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                .setRawData(ByteString.copyFrom(bytes.array()));
        for (long d : dims) {
            b.addDims(d);
        }
        return b.build();
    }

    /**
     * A copy of the model with some float initializers replaced (same names and shapes, new values).
     *
     * @throws IllegalArgumentException naming the initializer when it is missing or its size differs
     */
    public static OnnxMl.ModelProto replaceInitializers(OnnxMl.ModelProto model, Map<String, float[]> replacements) {
        OnnxMl.GraphProto.Builder graph = model.getGraph().toBuilder();
        Set<String> pending = new java.util.HashSet<>(replacements.keySet());
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            OnnxMl.TensorProto old = graph.getInitializer(i);
            float[] values = replacements.get(old.getName());
            if (values == null) {
                continue;
            }
            long[] dims = old.getDimsList().stream().mapToLong(Long::longValue).toArray();
            graph.setInitializer(i, floatTensor(old.getName(), dims, values));
            pending.remove(old.getName());
        }
        if (!pending.isEmpty()) {
            throw new IllegalArgumentException("the graph has no initializer named " + pending);
        }
        return model.toBuilder().setGraph(graph).build();
    }
}
