package io.tessera.models.clip;

import static io.tessera.embedding.onnx.OnnxGraphBuilder.FLOAT;
import static io.tessera.embedding.onnx.OnnxGraphBuilder.attr;

import io.tessera.embedding.onnx.OnnxGraphBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The learned parameters of one graph: each is registered while the graph is built and its values are drawn only
 * when the file is written ({@link OnnxStreamWriter}).
 *
 * <p>Every parameter is identified by its Hugging Face {@code state_dict} key ({@code
 * vision_model.encoder.layers.0.self_attn.q_proj.weight}), which is also the seed of its random stream: the same
 * key gets the same values in the separate tower files and in the combined {@code model.onnx}, whatever the ONNX
 * initializer is called there. As in a TorchScript export, linear weights used by MatMul are stored transposed
 * ({@code [in, out]}) under an anonymous name {@code onnx::MatMul_<n>}; the key stays in the tensor's
 * doc_string so tests (and people reading the graph) can find it.
 *
 * <p>Initialisation: weight matrices (linear layers, the patch convolution) normal with std 1/sqrt(fan_in)
 * ({@link #fanIn}); embeddings and biases normal with std 0.02; LayerNorm gamma 1 and beta 0; logit_scale
 * ln(1/0.07).
 *
 * <p>With float16 storage every parameter is followed by a Cast to float32, so the graph computes in float32 on
 * every ONNX Runtime provider (the CPU provider lacks float16 kernels for most of the ops used); ONNX Runtime
 * folds those casts into float32 constants when it loads the model.
 */
final class Weights {
    /** How a parameter is initialised. */
    sealed interface Init permits Normal, Constant {}

    /** Independent normal values, mean 0. */
    record Normal(double std) implements Init {}

    /** Every value the same (LayerNorm's gamma 1 and beta 0, logit_scale). */
    record Constant(float value) implements Init {}

    /** Embeddings and biases: BERT/CLIP's initializer_range. */
    static final Init WEIGHT = new Normal(0.02);
    static final Init ONES = new Constant(1f);
    static final Init ZEROS = new Constant(0f);

    /** Suffix of a transposed linear weight's doc_string (after the key). */
    static final String TRANSPOSED_NOTE = " (transposed: [in, out])";

    private final OnnxGraphBuilder graph;
    private final long seed;
    private final boolean fp16;
    private final List<OnnxStreamWriter.Tensor> tensors = new ArrayList<>();
    private int matMulCounter = 1000;

    Weights(OnnxGraphBuilder graph, long seed, boolean fp16) {
        this.graph = graph;
        this.seed = seed;
        this.fp16 = fp16;
    }

    /** A parameter named after its key; returns the value to compute with (float32). */
    String param(String key, Init init, long... dims) {
        return register(key, key, "", init, dims);
    }

    /**
     * A linear layer's weight as MatMul's right operand {@code [in, out]} (PyTorch's {@code [out, in]}ᵀ), drawn
     * with {@link #fanIn}.
     */
    String matMulWeight(String key, long in, long out) {
        return register("onnx::MatMul_" + matMulCounter++, key, TRANSPOSED_NOTE, fanIn(in), in, out);
    }

    /**
     * Weight matrices get std 1/sqrt(fan_in) (LeCun) rather than 0.02: every layer's output is then of the order
     * of its input, so attention scores have a spread of about 1 and the softmax is far from uniform. With 0.02
     * throughout, a random CLIP attends almost uniformly and its output hardly depends on the attention's
     * details: a graph with the wrong softmax axis or scale would pass a comparison with a reference.
     */
    static Init fanIn(long fanIn) {
        return new Normal(1 / Math.sqrt(fanIn));
    }

    private String register(String name, String key, String note, Init init, long... dims) {
        long[] shape = dims.clone();
        tensors.add(new OnnxStreamWriter.Tensor(name, key + note, shape, () -> values(seed, key, init)));
        if (!fp16) {
            return name;
        }
        return graph.node("Cast", List.of(name), name + "_fp32", attr("to", (long) FLOAT));
    }

    List<OnnxStreamWriter.Tensor> tensors() {
        return Collections.unmodifiableList(tensors);
    }

    long parameterCount() {
        return tensors.stream().mapToLong(OnnxStreamWriter.Tensor::count).sum();
    }

    /**
     * The values of one parameter: a stream seeded by the model seed and the parameter's key (FNV-1a of the
     * UTF-8 bytes, which unlike {@code String.hashCode} spreads over 64 bits), so parameters are independent of
     * one another and of the order they are written in.
     */
    static OnnxStreamWriter.Values values(long seed, String key, Init init) {
        return switch (init) {
            case Constant c -> (buffer, n) -> java.util.Arrays.fill(buffer, 0, n, c.value());
            case Normal normal -> new GaussianValues(new SplittableRandom(seed ^ fnv1a64(key)), normal.std());
        };
    }

    static long fnv1a64(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /**
     * Normal values by Marsaglia's polar method: written out here (not {@code RandomGenerator.nextGaussian}, whose
     * algorithm the JDK may change) so the files stay byte-identical across JDK versions, and without the
     * trigonometry of Box-Muller, which matters for the 151 M values of ViT-B/32.
     */
    private static final class GaussianValues implements OnnxStreamWriter.Values {
        private final SplittableRandom random;
        private final double std;
        private double spare;
        private boolean hasSpare;

        GaussianValues(SplittableRandom random, double std) {
            this.random = random;
            this.std = std;
        }

        @Override
        public void next(float[] buffer, int n) {
            for (int i = 0; i < n; i++) {
                buffer[i] = (float) (std * nextGaussian());
            }
        }

        private double nextGaussian() {
            if (hasSpare) {
                hasSpare = false;
                return spare;
            }
            double u;
            double v;
            double s;
            do {
                u = 2 * random.nextDouble() - 1;
                v = 2 * random.nextDouble() - 1;
                s = u * u + v * v;
            } while (s >= 1 || s == 0);
            double factor = Math.sqrt(-2 * Math.log(s) / s);
            spare = v * factor;
            hasSpare = true;
            return u * factor;
        }
    }
}
