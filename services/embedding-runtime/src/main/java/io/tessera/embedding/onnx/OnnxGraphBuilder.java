package io.tessera.embedding.onnx;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.List;

/**
 * A small builder for ONNX graphs on the onnx.proto classes. Hand-written because Tribuo's builder targets its own
 * model types and lacks several ops used here (Softmax on an axis, Pad, Mod, Abs); the protobuf classes are enough.
 */
public final class OnnxGraphBuilder {
    public static final int FLOAT = OnnxMl.TensorProto.DataType.FLOAT.getNumber();
    public static final int INT64 = OnnxMl.TensorProto.DataType.INT64.getNumber();

    private final OnnxMl.GraphProto.Builder graph;
    private int counter;
    private final java.util.Set<String> scalars = new java.util.HashSet<>();

    public OnnxGraphBuilder(String name) {
        this.graph = OnnxMl.GraphProto.newBuilder().setName(name);
    }

    /** A dimension is a String (symbolic, e.g. "N") or a Number (fixed). */
    private static OnnxMl.TypeProto type(int elemType, Object... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (Object d : dims) {
            OnnxMl.TensorShapeProto.Dimension.Builder dim = OnnxMl.TensorShapeProto.Dimension.newBuilder();
            if (d instanceof Number n) {
                dim.setDimValue(n.longValue());
            } else {
                dim.setDimParam(d.toString());
            }
            shape.addDim(dim);
        }
        return OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape))
                .build();
    }

    public String input(String name, int elemType, Object... dims) {
        graph.addInput(OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(type(elemType, dims)));
        return name;
    }

    public void output(String name, int elemType, Object... dims) {
        graph.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(type(elemType, dims)));
    }

    public String floats(String name, long[] dims, float[] values) {
        graph.addInitializer(OnnxGraphs.floatTensor(name, dims, values));
        return name;
    }

    public String longs(String name, long... values) {
        graph.addInitializer(OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(INT64).addDims(values.length)
                .addAllInt64Data(java.util.Arrays.stream(values).boxed().toList()));
        return name;
    }

    /** A one-element float initializer; asking again for the same name reuses it. */
    public String scalar(String name, float value) {
        if (!scalars.add(name)) {
            return name;
        }
        return floats(name, new long[] {1}, new float[] {value});
    }

    /** Attribute helpers: pass to {@link #node}. */
    public static OnnxMl.AttributeProto attr(String name, long value) {
        return OnnxMl.AttributeProto.newBuilder().setName(name)
                .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(value).build();
    }

    public static OnnxMl.AttributeProto attr(String name, long... values) {
        OnnxMl.AttributeProto.Builder b = OnnxMl.AttributeProto.newBuilder().setName(name)
                .setType(OnnxMl.AttributeProto.AttributeType.INTS);
        for (long v : values) {
            b.addInts(v);
        }
        return b.build();
    }

    public static OnnxMl.AttributeProto attr(String name, String value) {
        return OnnxMl.AttributeProto.newBuilder().setName(name)
                .setType(OnnxMl.AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(value)).build();
    }

    /** Adds a node writing a fresh value (or {@code output} when given) and returns the value's name. */
    public String node(String op, List<String> inputs, String output, OnnxMl.AttributeProto... attrs) {
        String out = output != null ? output : op.toLowerCase(java.util.Locale.ROOT) + "_" + counter;
        OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(op + "_" + counter++)
                .addAllInput(inputs).addOutput(out);
        for (OnnxMl.AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        return out;
    }

    public String node(String op, List<String> inputs, OnnxMl.AttributeProto... attrs) {
        return node(op, inputs, null, attrs);
    }

    public OnnxMl.ModelProto build(int opset, String producer, String docString) {
        List<OnnxMl.StringStringEntryProto> meta = new ArrayList<>();
        return OnnxMl.ModelProto.newBuilder()
                .setIrVersion(8)
                .setProducerName(producer)
                .setProducerVersion("1")
                .setDocString(docString)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .addAllMetadataProps(meta)
                .setGraph(graph)
                .build();
    }
}
