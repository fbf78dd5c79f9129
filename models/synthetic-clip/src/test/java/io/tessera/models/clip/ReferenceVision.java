package io.tessera.models.clip;

import ai.onnx.proto.OnnxMl;
import io.tessera.embedding.onnx.OnnxGraphs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * An independent forward pass of the CLIP vision tower in plain Java (double precision, naive loops), written
 * from modeling_clip.py and reading its weights from the initializers of a generated {@code vision_model.onnx} by
 * their state_dict keys. If ONNX Runtime's output matches this, the graph is the architecture it claims to be.
 */
final class ReferenceVision {
    private final SyntheticClip.Spec spec;
    private final Map<String, float[]> weights;

    /** The forward pass's result for one image. */
    record Output(double[] imageEmbeds, double[][] lastHiddenState) {}

    private ReferenceVision(SyntheticClip.Spec spec, Map<String, float[]> weights) {
        this.spec = spec;
        this.weights = weights;
    }

    /** Reads the weights of an inline float32 vision_model.onnx, keyed by state_dict key. */
    static ReferenceVision load(SyntheticClip.Spec spec, Path visionModel) throws IOException {
        OnnxMl.ModelProto model = OnnxGraphs.parse(visionModel);
        Map<String, float[]> weights = new HashMap<>();
        for (OnnxMl.TensorProto t : model.getGraph().getInitializerList()) {
            if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
                continue;
            }
            // Parameters carry their key in doc_string (MatMul weights are named onnx::MatMul_<n>).
            String doc = t.getDocString();
            String key = doc.isEmpty() ? t.getName() : doc.split(" ")[0];
            weights.put(key, OnnxGraphs.floats(t));
        }
        return new ReferenceVision(spec, weights);
    }

    private float[] w(String key) {
        float[] v = weights.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no initializer for " + key + " in " + weights.keySet());
        }
        return v;
    }

    /** One image, [3, S, S] row-major, already normalised like CLIPImageProcessor's output. */
    Output forward(float[] pixels) {
        int s = spec.imageSize();
        int p = spec.patchSize();
        int grid = s / p;
        int width = spec.visionWidth();
        int tokens = spec.visionTokens();

        // Embeddings: class token, then one convolution output per patch (row-major over the grid).
        double[][] x = new double[tokens][width];
        float[] conv = w("vision_model.embeddings.patch_embedding.weight"); // [W, 3, p, p]
        float[] cls = w("vision_model.embeddings.class_embedding");
        for (int o = 0; o < width; o++) {
            x[0][o] = cls[o];
        }
        for (int gy = 0; gy < grid; gy++) {
            for (int gx = 0; gx < grid; gx++) {
                double[] token = x[1 + gy * grid + gx];
                for (int o = 0; o < width; o++) {
                    double sum = 0;
                    for (int c = 0; c < 3; c++) {
                        for (int i = 0; i < p; i++) {
                            for (int j = 0; j < p; j++) {
                                sum += conv[((o * 3 + c) * p + i) * p + j]
                                        * pixels[(c * s + gy * p + i) * s + gx * p + j];
                            }
                        }
                    }
                    token[o] = sum;
                }
            }
        }
        float[] pos = w("vision_model.embeddings.position_embedding.weight");
        for (int t = 0; t < tokens; t++) {
            for (int o = 0; o < width; o++) {
                x[t][o] += pos[t * width + o];
            }
        }
        x = layerNorm(x, "vision_model.pre_layrnorm");

        for (int l = 0; l < spec.visionLayers(); l++) {
            String layer = "vision_model.encoder.layers." + l;
            double[][] h = attention(layerNorm(x, layer + ".layer_norm1"), layer + ".self_attn", spec.visionHeads());
            x = add(x, h);
            h = layerNorm(x, layer + ".layer_norm2");
            h = linear(h, layer + ".mlp.fc1", true);
            for (double[] row : h) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = row[i] / (1 + Math.exp(-1.702 * row[i])); // quick_gelu
                }
            }
            x = add(x, linear(h, layer + ".mlp.fc2", true));
        }

        double[][] pooled = layerNorm(new double[][] {x[0]}, "vision_model.post_layernorm");
        double[] embeds = linear(pooled, "visual_projection", false)[0];
        return new Output(embeds, x);
    }

    private double[][] attention(double[][] x, String prefix, int heads) {
        int t = x.length;
        int width = x[0].length;
        int d = width / heads;
        double[][] q = linear(x, prefix + ".q_proj", true);
        double[][] k = linear(x, prefix + ".k_proj", true);
        double[][] v = linear(x, prefix + ".v_proj", true);
        double scale = 1 / Math.sqrt(d);
        double[][] context = new double[t][width];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < t; i++) {
                double[] scores = new double[t];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < t; j++) {
                    double dot = 0;
                    for (int e = 0; e < d; e++) {
                        dot += q[i][h * d + e] * scale * k[j][h * d + e];
                    }
                    scores[j] = dot;
                    max = Math.max(max, dot);
                }
                double sum = 0;
                for (int j = 0; j < t; j++) {
                    scores[j] = Math.exp(scores[j] - max);
                    sum += scores[j];
                }
                for (int j = 0; j < t; j++) {
                    for (int e = 0; e < d; e++) {
                        context[i][h * d + e] += scores[j] / sum * v[j][h * d + e];
                    }
                }
            }
        }
        return linear(context, prefix + ".out_proj", true);
    }

    /** y = x Wᵀ + b with PyTorch's W [out, in]; the ONNX file stores Wᵀ, [in, out]. */
    private double[][] linear(double[][] x, String prefix, boolean bias) {
        float[] wt = w(prefix + ".weight");
        int in = x[0].length;
        int out = wt.length / in;
        float[] b = bias ? w(prefix + ".bias") : null;
        double[][] y = new double[x.length][out];
        for (int r = 0; r < x.length; r++) {
            for (int o = 0; o < out; o++) {
                double sum = b == null ? 0 : b[o];
                for (int i = 0; i < in; i++) {
                    sum += x[r][i] * wt[i * out + o];
                }
                y[r][o] = sum;
            }
        }
        return y;
    }

    private double[][] layerNorm(double[][] x, String prefix) {
        float[] gamma = w(prefix + ".weight");
        float[] beta = w(prefix + ".bias");
        double[][] y = new double[x.length][];
        for (int r = 0; r < x.length; r++) {
            int n = x[r].length;
            double mean = 0;
            for (double v : x[r]) {
                mean += v;
            }
            mean /= n;
            double var = 0;
            for (double v : x[r]) {
                var += (v - mean) * (v - mean);
            }
            var /= n;
            double inv = 1 / Math.sqrt(var + 1e-5);
            y[r] = new double[n];
            for (int i = 0; i < n; i++) {
                y[r][i] = (x[r][i] - mean) * inv * gamma[i] + beta[i];
            }
        }
        return y;
    }

    private static double[][] add(double[][] a, double[][] b) {
        double[][] y = new double[a.length][a[0].length];
        for (int r = 0; r < a.length; r++) {
            for (int i = 0; i < a[r].length; i++) {
                y[r][i] = a[r][i] + b[r][i];
            }
        }
        return y;
    }
}
