package io.tessera.models.clip;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an ONNX model whose large initializers are produced while the file is written, so a model of hundreds of
 * megabytes never sits in the heap (a {@code ModelProto} holding the weights would need them two or three times
 * over: the arrays, the {@code ByteString}s and the serialised bytes).
 *
 * <p>It relies on two properties of the protobuf wire format: a message is a plain sequence of fields, so
 * initializers may be appended after the rest of a graph that was serialised normally; and the length of every
 * nested message can be computed up front, because the size of each tensor is known before its values are drawn.
 * The result parses exactly like a {@code ModelProto} built in memory.
 *
 * <p>Tensors go either into {@code raw_data} (inline) or, with {@link Storage#EXTERNAL}, into a side file
 * {@code <model file name>_data} referenced by {@code data_location = EXTERNAL} and {@code external_data}
 * entries {@code location}, {@code offset}, {@code length}, the layout of {@code onnx.save(...,
 * save_as_external_data=True)} and of models over 2 GB. Values are stored as float32 or float16.
 */
public final class OnnxStreamWriter {
    /** Tensors smaller than this stay inline even with external data (onnx's default {@code size_threshold}). */
    static final long EXTERNAL_THRESHOLD_BYTES = 1024;
    /** Large tensors start on an allocation-granularity boundary in the data file, so a runtime can map them. */
    static final long ALIGN_THRESHOLD_BYTES = 1L << 20;
    static final long ALIGNMENT = 1L << 16;

    private static final int CHUNK = 1 << 16;

    /** Where tensor values go. */
    public enum Storage { INLINE, EXTERNAL }

    /** Fills {@code buffer[0, n)} with the next {@code n} values of a tensor, in row-major order. */
    @FunctionalInterface
    public interface Values {
        void next(float[] buffer, int n);
    }

    /** Opens a fresh pass over a tensor's values; called once per write. */
    @FunctionalInterface
    public interface ValuesSource {
        Values open();
    }

    /**
     * A float initializer whose values are produced at write time.
     *
     * @param docString stored in the tensor's doc_string (empty for none)
     */
    public record Tensor(String name, String docString, long[] dims, ValuesSource values) {
        public long count() {
            long n = 1;
            for (long d : dims) {
                n *= d;
            }
            return n;
        }
    }

    private OnnxStreamWriter() {}

    /**
     * Writes {@code skeleton} (a complete model, possibly with small initializers of its own) plus {@code tensors}
     * as further initializers of its graph to {@code file}; with external storage also {@code file + "_data"}.
     *
     * @param elemType {@code TensorProto.DataType} FLOAT or FLOAT16: how the tensor values are stored
     * @throws IllegalArgumentException when an inline model would exceed protobuf's 2 GB message limit
     */
    public static void write(OnnxMl.ModelProto skeleton, List<Tensor> tensors, int elemType, Storage storage,
            Path file) throws IOException {
        int bytesPerValue = bytesPerValue(elemType);
        String location = file.getFileName() + "_data";

        // First pass: the header of every tensor (everything but its values) and where its values go.
        List<OnnxMl.TensorProto> headers = new ArrayList<>(tensors.size());
        List<Boolean> external = new ArrayList<>(tensors.size());
        List<Long> padding = new ArrayList<>(tensors.size());
        long offset = 0;
        for (Tensor t : tensors) {
            long length = t.count() * bytesPerValue;
            OnnxMl.TensorProto.Builder h = OnnxMl.TensorProto.newBuilder().setName(t.name()).setDataType(elemType);
            for (long d : t.dims()) {
                h.addDims(d);
            }
            if (!t.docString().isEmpty()) {
                h.setDocString(t.docString());
            }
            boolean ext = storage == Storage.EXTERNAL && length >= EXTERNAL_THRESHOLD_BYTES;
            long pad = 0;
            if (ext) {
                if (length >= ALIGN_THRESHOLD_BYTES && offset % ALIGNMENT != 0) {
                    pad = ALIGNMENT - offset % ALIGNMENT;
                }
                offset += pad;
                h.setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL)
                        .addExternalData(entry("location", location))
                        .addExternalData(entry("offset", Long.toString(offset)))
                        .addExternalData(entry("length", Long.toString(length)));
                offset += length;
            }
            headers.add(h.build());
            external.add(ext);
            padding.add(pad);
        }

        // Sizes of the nested messages, computed before anything is written (protobuf prefixes them).
        long[] tensorSizes = new long[tensors.size()];
        long graphSize = skeleton.getGraph().getSerializedSize();
        for (int i = 0; i < tensors.size(); i++) {
            long size = headers.get(i).getSerializedSize();
            if (!external.get(i)) {
                long length = tensors.get(i).count() * bytesPerValue;
                size += CodedOutputStream.computeTagSize(OnnxMl.TensorProto.RAW_DATA_FIELD_NUMBER)
                        + varintSize(length) + length;
            }
            tensorSizes[i] = size;
            graphSize += CodedOutputStream.computeTagSize(OnnxMl.GraphProto.INITIALIZER_FIELD_NUMBER)
                    + varintSize(size) + size;
        }
        if (graphSize > Integer.MAX_VALUE - (1 << 20)) {
            throw new IllegalArgumentException("the graph of " + file.getFileName() + " would be " + graphSize
                    + " bytes, over protobuf's 2 GB limit: store the weights as external data");
        }

        Files.deleteIfExists(file.resolveSibling(location));
        try (OutputStream modelStream = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
                OutputStream dataStream = storage == Storage.EXTERNAL
                        ? new BufferedOutputStream(Files.newOutputStream(file.resolveSibling(location)), 1 << 20)
                        : null) {
            CodedOutputStream out = CodedOutputStream.newInstance(modelStream, 1 << 16);
            // Every model field but the graph, then the graph: field order does not matter to a parser.
            skeleton.toBuilder().clearGraph().build().writeTo(out);
            out.writeTag(OnnxMl.ModelProto.GRAPH_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag((int) graphSize);
            skeleton.getGraph().writeTo(out);
            byte[] bytes = new byte[CHUNK * bytesPerValue];
            float[] values = new float[CHUNK];
            for (int i = 0; i < tensors.size(); i++) {
                Tensor t = tensors.get(i);
                out.writeTag(OnnxMl.GraphProto.INITIALIZER_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt32NoTag((int) tensorSizes[i]);
                headers.get(i).writeTo(out);
                if (external.get(i)) {
                    dataStream.write(new byte[(int) (long) padding.get(i)]);
                    streamValues(t, elemType, values, bytes, (b, n) -> dataStream.write(b, 0, n));
                } else {
                    out.writeTag(OnnxMl.TensorProto.RAW_DATA_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                    out.writeUInt32NoTag((int) (t.count() * bytesPerValue));
                    streamValues(t, elemType, values, bytes, (b, n) -> out.writeRawBytes(b, 0, n));
                }
            }
            out.flush();
        }
    }

    private interface ByteSink {
        void write(byte[] bytes, int n) throws IOException;
    }

    /** Little-endian float32 or IEEE binary16 values, chunk by chunk. */
    private static void streamValues(Tensor t, int elemType, float[] values, byte[] bytes, ByteSink sink)
            throws IOException {
        Values source = t.values().open();
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        boolean half = elemType == OnnxMl.TensorProto.DataType.FLOAT16.getNumber();
        for (long done = 0, count = t.count(); done < count; ) {
            int n = (int) Math.min(CHUNK, count - done);
            source.next(values, n);
            buffer.clear();
            if (half) {
                for (int i = 0; i < n; i++) {
                    buffer.putShort(Float.floatToFloat16(values[i]));
                }
            } else {
                buffer.asFloatBuffer().put(values, 0, n);
                buffer.position(n * Float.BYTES);
            }
            sink.write(bytes, buffer.position());
            done += n;
        }
    }

    static int bytesPerValue(int elemType) {
        if (elemType == OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
            return Float.BYTES;
        }
        if (elemType == OnnxMl.TensorProto.DataType.FLOAT16.getNumber()) {
            return Short.BYTES;
        }
        throw new IllegalArgumentException("unsupported initializer type " + elemType + " (FLOAT or FLOAT16)");
    }

    private static int varintSize(long value) {
        return CodedOutputStream.computeUInt64SizeNoTag(value);
    }

    private static OnnxMl.StringStringEntryProto entry(String key, String value) {
        return OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }
}
