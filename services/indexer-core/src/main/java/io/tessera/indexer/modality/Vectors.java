package io.tessera.indexer.modality;

import java.util.List;

/** The little vector arithmetic the indexers need (pooling and combining unit vectors). */
public final class Vectors {

    private Vectors() {
    }

    /** The vector scaled to length 1; a zero vector is returned unchanged (it cannot point anywhere). */
    public static float[] normalized(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        float[] out = v.clone();
        if (sum == 0) {
            return out;
        }
        float inv = (float) (1.0 / Math.sqrt(sum));
        for (int i = 0; i < out.length; i++) {
            out[i] *= inv;
        }
        return out;
    }

    /**
     * The mean of the vectors, re-normalised: the pooled vector of a whole video, document or text. For unit vectors
     * it is the direction closest, on average, to all of them, so a query that matches any part of the item scores
     * the whole item well too.
     */
    public static float[] pooled(List<float[]> vectors) {
        if (vectors.isEmpty()) {
            throw new IllegalArgumentException("nothing to pool");
        }
        int d = vectors.get(0).length;
        float[] sum = new float[d];
        for (float[] v : vectors) {
            if (v.length != d) {
                throw new IllegalArgumentException("vectors of different lengths: " + d + " and " + v.length);
            }
            for (int i = 0; i < d; i++) {
                sum[i] += v[i];
            }
        }
        return normalized(sum);
    }

    /** {@code normalize((1 - w) * a + w * b)}. */
    public static float[] blended(float[] a, float[] b, double w) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors of different lengths: " + a.length + " and " + b.length);
        }
        float wa = (float) (1 - w);
        float wb = (float) w;
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = wa * a[i] + wb * b[i];
        }
        return normalized(out);
    }

    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
