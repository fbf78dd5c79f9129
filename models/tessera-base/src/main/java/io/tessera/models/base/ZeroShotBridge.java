package io.tessera.models.base;

import static io.tessera.embedding.onnx.OnnxGraphBuilder.attr;

import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.TextInput;
import io.tessera.embedding.onnx.OnnxGraphBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The zero-shot bridge from EfficientNet-Lite0's ImageNet classifier into MiniLM's text space: an image's class
 * probabilities {@code p = softmax(logits / T)} weight the MiniLM embeddings of one prompt per class,
 * {@code b = p · E}, so a picture the classifier calls "tabby" lands next to the text "a photo of a tabby", and
 * (because MiniLM puts "tabby", "tiger cat" and "a cat" close together) near "a cat" too.
 */
public final class ZeroShotBridge {
    private ZeroShotBridge() {}

    /** One prompt per class, {@link TesseraBase#PROMPT} filled with the name. */
    public static List<String> prompts(List<String> classNames) {
        List<String> out = new ArrayList<>(classNames.size());
        for (String name : classNames) {
            out.add(String.format(Locale.ROOT, TesseraBase.PROMPT, name));
        }
        return out;
    }

    /**
     * E: the L2-normalised pooled text features of each prompt, one row per prompt, from {@code text} (a runtime
     * serving the MiniLM text tower; its {@code textFeatures} are the pooled vectors that enter the text head).
     *
     * <p>Each prompt is run alone, never in a padded batch: the int8 graph quantises per tensor, so padding moves
     * the values in the third decimal; alone, a prompt gets exactly the vector a query of the same text gets, and
     * the matrix does not depend on a batch size.
     */
    public static float[][] classEmbeddings(EmbeddingRuntime text, List<String> prompts, String headKey) {
        float[][] e = new float[prompts.size()][];
        for (int i = 0; i < prompts.size(); i++) {
            float[] pooled = text.textFeatures(List.of(TextInput.of(prompts.get(i)))).features().get(headKey)[0];
            e[i] = normalised(pooled);
        }
        return e;
    }

    /** A unit-length copy (the norm summed in double, so the result does not depend on summation order). */
    static float[] normalised(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        double n = Math.sqrt(s);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / n);
        }
        return out;
    }

    /**
     * Writes the bridge and the combined output into {@code g}: from the classifier's {@code logits} [batch, C] and
     * the pooled {@code features} [batch, F], the value {@code output} = concat(b/|b|, f/|f|) [batch, D+F] with
     * {@code b = softmax(logits / temperature) · E}. E ([C, D], row-major) is stored as the initializer
     * {@link TesseraBase#CLASS_EMBEDDINGS}.
     */
    public static String emit(OnnxGraphBuilder g, String logits, String features, float[][] classEmbeddings,
            float temperature, String output) {
        int classes = classEmbeddings.length;
        int width = classEmbeddings[0].length;
        float[] flat = new float[classes * width];
        for (int c = 0; c < classes; c++) {
            if (classEmbeddings[c].length != width) {
                throw new IllegalArgumentException("class embedding " + c + " has " + classEmbeddings[c].length
                        + " values, the first has " + width);
            }
            System.arraycopy(classEmbeddings[c], 0, flat, c * width, width);
        }
        String e = g.floats(TesseraBase.CLASS_EMBEDDINGS, new long[] {classes, width}, flat);
        String t = g.scalar("bridge.temperature", temperature);
        String scaled = g.node("Div", List.of(logits, t));
        String p = g.node("Softmax", List.of(scaled), "bridge.probabilities", attr("axis", 1));
        String b = g.node("MatMul", List.of(p, e), "bridge.mixture");
        String bUnit = g.node("LpNormalization", List.of(b), "bridge.normalised", attr("axis", 1), attr("p", 2));
        String fUnit = g.node("LpNormalization", List.of(features), "features.normalised", attr("axis", 1),
                attr("p", 2));
        return g.node("Concat", List.of(bUnit, fUnit), output, attr("axis", 1));
    }
}
