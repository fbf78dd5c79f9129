package io.tessera.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** Small random problems for unit tests. */
public final class Fixtures {

    private Fixtures() {
    }

    public static float[] randomFeatures(SplittableRandom random, int dim) {
        float[] f = new float[dim];
        for (int i = 0; i < dim; i++) {
            f[i] = (float) random.nextGaussian();
        }
        return f;
    }

    public static Projection randomProjection(SplittableRandom random, int outDim, int inDim) {
        float[] w = new float[outDim * inDim];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() / Math.sqrt(inDim));
        }
        return Projection.fromRowMajor(w, outDim, inDim, Orientation.OUT_BY_IN);
    }

    /** Two towers "text" (dim textDim) and "image" (dim imageDim), both into outDim. */
    public static Map<String, Projection> twoTowers(SplittableRandom random, int textDim, int imageDim, int outDim) {
        Map<String, Projection> m = new TreeMap<>();
        m.put("text", randomProjection(random, outDim, textDim));
        m.put("image", randomProjection(random, outDim, imageDim));
        return m;
    }

    /**
     * {@code n} text-to-image examples of one task, each with {@code negatives} curated image negatives; items
     * have unique keys.
     */
    public static List<Example> textToImage(SplittableRandom random, String task, int n, int negatives, int textDim,
                                            int imageDim) {
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            FeatureItem q = new FeatureItem("text", task + "/q" + i, randomFeatures(random, textDim));
            FeatureItem p = new FeatureItem("image", task + "/p" + i, randomFeatures(random, imageDim));
            List<FeatureItem> negs = new ArrayList<>();
            for (int k = 0; k < negatives; k++) {
                negs.add(new FeatureItem("image", task + "/n" + i + "_" + k, randomFeatures(random, imageDim)));
            }
            out.add(new Example(task, q, p, negs));
        }
        return out;
    }
}
