package io.tessera.models.tiny;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.embedding.onnx.OnnxGraphs;
import io.tessera.embedding.model.ModelDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain-Java (double precision) computation of the generated towers, written from the description in
 * {@link TinyFeatures}, not from the graph code: weights (embedding tables, projections) are read from the ONNX
 * initializers, everything else is recomputed here.
 */
final class TinyReference {
    private final TinyModelSpec spec;
    private final float[] imageProjection;
    private final float[] textProjection;
    private final float[] words;
    private final float[] bigrams;
    private final Map<String, Integer> vocab = new HashMap<>();
    private final double[] mean;
    private final double[] std;

    TinyReference(ModelDirectory dir, TinyModelSpec spec) throws IOException {
        this.spec = spec;
        Map<String, float[]> image = initializers(dir, spec.visionFile());
        Map<String, float[]> text = initializers(dir, spec.textFile());
        imageProjection = image.get(spec.imageProjection());
        textProjection = text.get(spec.textProjection());
        words = text.get("word_embeddings");
        bigrams = text.get("bigram_embeddings");
        JsonNode tok = new ObjectMapper().readTree(Files.readString(dir.file("tokenizer.json")));
        tok.path("model").path("vocab").fields().forEachRemaining(e -> vocab.put(e.getKey(), e.getValue().asInt()));
        mean = dir.manifest().image().mean();
        std = dir.manifest().image().std();
    }

    private static Map<String, float[]> initializers(ModelDirectory dir, String file) throws IOException {
        Map<String, float[]> out = new HashMap<>();
        OnnxMl.ModelProto p = OnnxGraphs.parse(dir.file(file));
        for (OnnxMl.TensorProto t : p.getGraph().getInitializerList()) {
            if (t.getDataType() == OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
                out.put(t.getName(), OnnxGraphs.floats(t));
            }
        }
        return out;
    }

    /** CHW normalised pixel values as the runtime computes them from packed RGB bytes of the model's size. */
    float[] pixelValues(byte[] rgb) {
        int plane = spec.imageSize() * spec.imageSize();
        float[] out = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                out[c * plane + i] = (float) (((rgb[i * 3 + c] & 0xff) / 255.0 - mean[c]) / std[c]);
            }
        }
        return out;
    }

    double[] imageFeatures(float[] pixels) {
        int s = spec.imageSize();
        int k = TinyFeatures.COLOURS.size();
        double[][][] rgb = new double[3][s][s];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    rgb[c][y][x] = pixels[(c * s + y) * s + x] * std[c] + mean[c];
                }
            }
        }
        double t = TinyFeatures.COLOUR_TEMPERATURE;
        double[][][] maps = new double[k][s][s];
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                double[] d = new double[k];
                double best = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < k; i++) {
                    TinyFeatures.Colour col = TinyFeatures.COLOURS.get(i);
                    double dr = rgb[0][y][x] - col.r();
                    double dg = rgb[1][y][x] - col.g();
                    double db = rgb[2][y][x] - col.b();
                    d[i] = -(dr * dr + dg * dg + db * db) / t;
                    best = Math.max(best, d[i]);
                }
                double sum = 0;
                for (int i = 0; i < k; i++) {
                    d[i] = Math.exp(d[i] - best);
                    sum += d[i];
                }
                for (int i = 0; i < k; i++) {
                    maps[i][y][x] = d[i] / sum;
                }
            }
        }
        List<Double> f = new ArrayList<>();
        for (int g : spec.colourGrids()) {
            for (int i = 0; i < k; i++) {
                poolSqrt(maps[i], g, f);
            }
        }
        int ds = spec.edgeDownsample();
        int es = s / ds;
        int o = TinyFeatures.ORIENTATIONS_DEGREES.length;
        double[][][][] edges = new double[k][o][][];
        for (int i = 0; i < k; i++) {
            double[][] small = new double[es][es];
            for (int y = 0; y < es; y++) {
                for (int x = 0; x < es; x++) {
                    double a = 0;
                    for (int dy = 0; dy < ds; dy++) {
                        for (int dx = 0; dx < ds; dx++) {
                            a += maps[i][y * ds + dy][x * ds + dx];
                        }
                    }
                    small[y][x] = a / (ds * ds);
                }
            }
            for (int oi = 0; oi < o; oi++) {
                double[][] ker = kernel(TinyFeatures.orientedKernel(TinyFeatures.ORIENTATIONS_DEGREES[oi]));
                edges[i][oi] = abs(convEdgePadded(small, ker));
            }
        }
        for (int g : spec.edgeGrids()) {
            for (int i = 0; i < k; i++) {
                for (int oi = 0; oi < o; oi++) {
                    poolSqrt(edges[i][oi], g, f);
                }
            }
        }
        double[][] lum = new double[s][s];
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                lum[y][x] = TinyFeatures.LUMA[0] * rgb[0][y][x] + TinyFeatures.LUMA[1] * rgb[1][y][x]
                        + TinyFeatures.LUMA[2] * rgb[2][y][x];
            }
        }
        double[][] lap = abs(convEdgePadded(lum, kernel(TinyFeatures.LAPLACIAN)));
        double[][] gx = convEdgePadded(lum, kernel(TinyFeatures.SOBEL_X));
        double[][] gy = convEdgePadded(lum, kernel(TinyFeatures.SOBEL_Y));
        for (int g : spec.edgeGrids()) {
            poolSqrt(lap, g, f);
            List<Double> grad = new ArrayList<>();
            pool(gx, g, grad);
            pool(gy, g, grad);
            grad.forEach(v -> f.add(v * TinyFeatures.GRADIENT_GAIN));
        }
        return f.stream().mapToDouble(Double::doubleValue).toArray();
    }

    double[] imageEmbedding(double[] features) {
        return normalise(project(features, imageProjection));
    }

    /** The tokenizer's ids, recomputed: NFD, strip accents, lower-case, split words/punctuation, [CLS] ... [SEP]. */
    long[] tokenIds(String text) {
        String norm = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "").toLowerCase();
        Matcher m = Pattern.compile("[\\p{L}\\p{N}_]+|[^\\p{L}\\p{N}_\\s]+").matcher(norm);
        List<Long> ids = new ArrayList<>();
        ids.add((long) vocab.get(TinyVocabulary.CLS));
        while (m.find() && ids.size() < spec.maxLength() - 1) {
            ids.add((long) vocab.getOrDefault(m.group(), vocab.get(TinyVocabulary.UNK)));
        }
        ids.add((long) vocab.get(TinyVocabulary.SEP));
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    double[] textFeatures(long[] ids) {
        int wd = spec.wordDimension();
        int bd = spec.bigramDimension();
        double[] f = new double[wd + bd];
        for (long id : ids) {
            for (int j = 0; j < wd; j++) {
                f[j] += words[(int) id * wd + j];
            }
        }
        for (int j = 0; j < wd; j++) {
            f[j] /= Math.max(ids.length, 1);
        }
        int pairs = ids.length - 1;
        for (int i = 0; i < pairs; i++) {
            long h = Math.floorMod(ids[i] * TinyFeatures.BIGRAM_HASH_MULTIPLIER + ids[i + 1], spec.bigramBuckets());
            for (int j = 0; j < bd; j++) {
                f[wd + j] += bigrams[(int) h * bd + j];
            }
        }
        for (int j = 0; j < bd; j++) {
            f[wd + j] /= Math.max(pairs, 1);
        }
        return f;
    }

    double[] textEmbedding(double[] features) {
        return normalise(project(features, textProjection));
    }

    private double[] project(double[] x, float[] w) {
        int d = spec.dimension();
        double[] y = new double[d];
        for (int i = 0; i < d; i++) {
            double a = 0;
            for (int j = 0; j < x.length; j++) {
                a += w[i * x.length + j] * x[j];
            }
            y[i] = a;
        }
        return y;
    }

    private static double[] normalise(double[] y) {
        double n = 0;
        for (double v : y) {
            n += v * v;
        }
        n = Math.max(Math.sqrt(n), TinyFeatures.NORM_EPSILON);
        double[] out = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = y[i] / n;
        }
        return out;
    }

    private static double[][] kernel(float[][] k) {
        double[][] out = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                out[i][j] = k[i][j];
            }
        }
        return out;
    }

    /** Cross-correlation with a 3x3 kernel, borders replicated (ONNX Pad mode=edge, then Conv). */
    private static double[][] convEdgePadded(double[][] in, double[][] k) {
        int h = in.length;
        int w = in[0].length;
        double[][] out = new double[h][w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double a = 0;
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        int yy = Math.min(h - 1, Math.max(0, y + i - 1));
                        int xx = Math.min(w - 1, Math.max(0, x + j - 1));
                        a += k[i][j] * in[yy][xx];
                    }
                }
                out[y][x] = a;
            }
        }
        return out;
    }

    private static double[][] abs(double[][] m) {
        for (double[] row : m) {
            for (int i = 0; i < row.length; i++) {
                row[i] = Math.abs(row[i]);
            }
        }
        return m;
    }

    private static void pool(double[][] m, int g, List<Double> out) {
        int cell = m.length / g;
        for (int r = 0; r < g; r++) {
            for (int c = 0; c < g; c++) {
                double a = 0;
                for (int y = r * cell; y < (r + 1) * cell; y++) {
                    for (int x = c * cell; x < (c + 1) * cell; x++) {
                        a += m[y][x];
                    }
                }
                out.add(a / (cell * cell));
            }
        }
    }

    private static void poolSqrt(double[][] m, int g, List<Double> out) {
        List<Double> tmp = new ArrayList<>();
        pool(m, g, tmp);
        double eps = TinyFeatures.SQRT_EPSILON;
        tmp.forEach(v -> out.add(Math.sqrt(v + eps) - Math.sqrt(eps)));
    }
}
