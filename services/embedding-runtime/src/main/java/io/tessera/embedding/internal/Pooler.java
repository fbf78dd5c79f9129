package io.tessera.embedding.internal;

import io.tessera.embedding.model.ModelManifest;
import java.util.Arrays;

/**
 * Turns a tower's graph output into one vector per input: as is for a pooled output ([batch, dim]), or over the
 * tokens of a per-token output ([batch, tokens, hidden]) by mean over the attention mask (sentence-transformers),
 * the first token (CLS) or the last non-padding token (decoder-based embedders). Padding is on the right, as the
 * tokenizer writes it; a null mask means every token counts (image patches).
 */
public final class Pooler {
    private Pooler() {}

    /** A float tensor of any rank, row-major. */
    public record Tensor(float[] data, long[] shape) {
        /** The tensor as [shape[0], rest] rows (a pooled output, or the features entering a projection). */
        public float[][] rows() {
            int n = (int) shape[0];
            int width = n == 0 ? 0 : data.length / n;
            float[][] rows = new float[n][];
            for (int i = 0; i < n; i++) {
                rows[i] = Arrays.copyOfRange(data, i * width, (i + 1) * width);
            }
            return rows;
        }
    }

    /**
     * @param mask [batch, tokens] attention mask (1 = token, 0 = padding), or null when every token counts
     */
    public static float[][] pool(Tensor t, long[] mask, ModelManifest.Pooling pooling) {
        if (pooling == ModelManifest.Pooling.NONE) {
            if (t.shape().length != 2) {
                throw new IllegalStateException("an output of shape " + Arrays.toString(t.shape())
                        + " needs pooling; the manifest says none");
            }
            return t.rows();
        }
        if (t.shape().length != 3) {
            throw new IllegalStateException(pooling + " pooling needs [batch, tokens, hidden], got "
                    + Arrays.toString(t.shape()));
        }
        int n = (int) t.shape()[0];
        int tokens = (int) t.shape()[1];
        int hidden = (int) t.shape()[2];
        if (mask != null && mask.length != n * tokens) {
            throw new IllegalStateException("attention mask of " + mask.length + " cells for an output of shape "
                    + Arrays.toString(t.shape()));
        }
        float[] data = t.data();
        float[][] out = new float[n][hidden];
        for (int i = 0; i < n; i++) {
            int rowBase = i * tokens;
            float[] v = out[i];
            switch (pooling) {
                case CLS -> System.arraycopy(data, rowBase * hidden, v, 0, hidden);
                case LAST -> {
                    int last = tokens - 1;
                    if (mask != null) {
                        last = 0;
                        for (int j = 0; j < tokens; j++) {
                            if (mask[rowBase + j] != 0) {
                                last = j;
                            }
                        }
                    }
                    System.arraycopy(data, (rowBase + last) * hidden, v, 0, hidden);
                }
                case MEAN -> {
                    double[] sum = new double[hidden];
                    int count = 0;
                    for (int j = 0; j < tokens; j++) {
                        if (mask != null && mask[rowBase + j] == 0) {
                            continue;
                        }
                        int base = (rowBase + j) * hidden;
                        for (int h = 0; h < hidden; h++) {
                            sum[h] += data[base + h];
                        }
                        count++;
                    }
                    // sentence-transformers clamps the token count at 1e-9; an all-padding row stays zero.
                    double inv = 1.0 / Math.max(count, 1);
                    for (int h = 0; h < hidden; h++) {
                        v[h] = (float) (sum[h] * inv);
                    }
                }
                default -> throw new IllegalStateException("unknown pooling " + pooling);
            }
        }
        return out;
    }
}
