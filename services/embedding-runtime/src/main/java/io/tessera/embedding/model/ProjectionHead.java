package io.tessera.embedding.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A projection head outside the backbone graph: {@code y = W·x + b} with {@code W} of shape
 * {@code [outputDimension, inputDimension]} (PyTorch's Linear layout) and an optional bias, stored as a
 * <a href="https://huggingface.co/docs/safetensors">safetensors</a> file with the tensors {@code weight} and
 * {@code bias} (F32, little-endian), the format Hugging Face users already know for weights.
 *
 * <p>Read and written by hand: the format is an 8-byte header length, a JSON header and raw little-endian data,
 * and the only Java implementations reachable here come inside deep-learning frameworks far larger than this file.
 */
public record ProjectionHead(int outputDimension, int inputDimension, float[] weight, float[] bias) {

    public ProjectionHead {
        if (outputDimension < 1 || inputDimension < 1) {
            throw new IllegalArgumentException("head dimensions must be positive, got [" + outputDimension + ", "
                    + inputDimension + "]");
        }
        Objects.requireNonNull(weight, "weight");
        if (weight.length != outputDimension * inputDimension) {
            throw new IllegalArgumentException("head weight has " + weight.length + " values for shape ["
                    + outputDimension + ", " + inputDimension + "]");
        }
        if (bias != null && bias.length != outputDimension) {
            throw new IllegalArgumentException("head bias has " + bias.length + " values, expected " + outputDimension);
        }
    }

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final long MAX_HEADER = 1 << 20;

    /** {@code y = W·x + b} for each row of {@code x} (each of length {@link #inputDimension}). */
    public float[][] apply(float[][] x) {
        float[][] out = new float[x.length][];
        for (int r = 0; r < x.length; r++) {
            out[r] = apply(x[r]);
        }
        return out;
    }

    public float[] apply(float[] x) {
        if (x.length != inputDimension) {
            throw new IllegalArgumentException("head takes " + inputDimension + " features, got " + x.length);
        }
        float[] y = new float[outputDimension];
        for (int o = 0; o < outputDimension; o++) {
            double s = bias == null ? 0 : bias[o];
            int base = o * inputDimension;
            for (int i = 0; i < inputDimension; i++) {
                s += (double) weight[base + i] * x[i];
            }
            y[o] = (float) s;
        }
        return y;
    }

    /** An identity head (square) or a truncating/zero-padding one: for models whose towers already agree. */
    public static ProjectionHead identity(int dimension) {
        float[] w = new float[dimension * dimension];
        for (int i = 0; i < dimension; i++) {
            w[i * dimension + i] = 1f;
        }
        return new ProjectionHead(dimension, dimension, w, null);
    }

    public void write(Path file) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        long weightBytes = (long) weight.length * Float.BYTES;
        ObjectNode w = header.putObject("weight");
        w.put("dtype", "F32");
        w.putArray("shape").add(outputDimension).add(inputDimension);
        w.putArray("data_offsets").add(0).add(weightBytes);
        if (bias != null) {
            ObjectNode b = header.putObject("bias");
            b.put("dtype", "F32");
            b.putArray("shape").add(outputDimension);
            b.putArray("data_offsets").add(weightBytes).add(weightBytes + (long) bias.length * Float.BYTES);
        }
        header.putObject("__metadata__").put("format", "pt");
        byte[] json = JSON.writeValueAsBytes(header);
        // The header is padded with spaces to a multiple of 8 so the data that follows is aligned.
        int padded = (json.length + 7) / 8 * 8;
        int dataBytes = (weight.length + (bias == null ? 0 : bias.length)) * Float.BYTES;
        ByteBuffer buf = ByteBuffer.allocate(8 + padded + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(padded);
        buf.put(json);
        for (int i = json.length; i < padded; i++) {
            buf.put((byte) ' ');
        }
        buf.asFloatBuffer().put(weight);
        buf.position(buf.position() + weight.length * Float.BYTES);
        if (bias != null) {
            buf.asFloatBuffer().put(bias);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, buf.array());
    }

    /**
     * Reads a head file.
     *
     * @throws IOException when the file is not a safetensors file with an F32 {@code weight} of rank 2 and an optional
     *                     F32 {@code bias} of matching length
     */
    public static ProjectionHead read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        if (all.length < 8) {
            throw new IOException(file + " is not a safetensors file (shorter than its header length)");
        }
        long headerLength = buf.getLong();
        if (headerLength < 2 || headerLength > MAX_HEADER || 8 + headerLength > all.length) {
            throw new IOException(file + " is not a safetensors file (header length " + headerLength + ")");
        }
        JsonNode header = JSON.readTree(new String(all, 8, (int) headerLength, StandardCharsets.UTF_8));
        int dataStart = 8 + (int) headerLength;
        JsonNode w = header.path("weight");
        if (!w.isObject()) {
            throw new IOException(file + " has no tensor named 'weight'");
        }
        int[] shape = shape(file, "weight", w, 2);
        float[] weight = floats(file, "weight", w, all, dataStart, shape[0] * shape[1]);
        float[] bias = null;
        JsonNode b = header.path("bias");
        if (b.isObject()) {
            int[] bs = shape(file, "bias", b, 1);
            if (bs[0] != shape[0]) {
                throw new IOException(file + ": bias has " + bs[0] + " values, weight has " + shape[0] + " rows");
            }
            bias = floats(file, "bias", b, all, dataStart, bs[0]);
        }
        return new ProjectionHead(shape[0], shape[1], weight, bias);
    }

    private static int[] shape(Path file, String name, JsonNode t, int rank) throws IOException {
        if (!"F32".equals(t.path("dtype").asText())) {
            throw new IOException(file + ": tensor '" + name + "' is " + t.path("dtype").asText()
                    + "; heads are stored as F32");
        }
        JsonNode s = t.path("shape");
        if (!s.isArray() || s.size() != rank) {
            throw new IOException(file + ": tensor '" + name + "' must have rank " + rank + ", has shape " + s);
        }
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            out[i] = s.get(i).asInt();
        }
        return out;
    }

    private static float[] floats(Path file, String name, JsonNode t, byte[] all, int dataStart, int count)
            throws IOException {
        JsonNode off = t.path("data_offsets");
        long begin = off.path(0).asLong(-1);
        long end = off.path(1).asLong(-1);
        if (begin < 0 || end - begin != (long) count * Float.BYTES || dataStart + end > all.length) {
            throw new IOException(file + ": tensor '" + name + "' has data_offsets " + off + " for " + count
                    + " floats in a file of " + all.length + " bytes");
        }
        float[] out = new float[count];
        ByteBuffer.wrap(all, dataStart + (int) begin, count * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer().get(out);
        return out;
    }
}
