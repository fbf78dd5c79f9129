package io.tessera.models.tiny;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The initial (untrained) projections of a generated model, {@code [dimension, features]} each.
 *
 * <p>Each is a small seeded Gaussian matrix, plus, where the spec asks for it, a prior that ties colour and
 * position words to the matching image features: every concept (the twelve colour words, top, bottom, left, right,
 * centre) gets a seeded direction in the shared space; the text projection sends each concept word's embedding to
 * its direction, and the image projection sends the colour histogram of each 3×3 cell to its colour's direction
 * plus its row's and column's directions (achromatic colours, usually background, weigh less). So the untrained
 * model already ranks "a red shape at the top left" sensibly, while shapes, sizes, textures and everything else
 * are left for training the projections.
 */
public record TinyProjections(float[] image, float[] text) {
    /** Scale of the random part relative to the prior's unit-length concept directions. */
    static final double RANDOM_SCALE = 0.1;
    static final float ACHROMATIC_WEIGHT = 0.3f;

    static final Map<String, List<String>> CONCEPT_WORDS = conceptWords();

    private static Map<String, List<String>> conceptWords() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("red", List.of("red", "maroon"));
        m.put("green", List.of("green", "lime"));
        m.put("blue", List.of("blue", "navy"));
        m.put("yellow", List.of("yellow"));
        m.put("orange", List.of("orange"));
        m.put("purple", List.of("purple", "violet", "magenta"));
        m.put("pink", List.of("pink"));
        m.put("cyan", List.of("cyan"));
        m.put("white", List.of("white"));
        m.put("black", List.of("black"));
        m.put("gray", List.of("gray", "grey", "silver"));
        m.put("brown", List.of("brown"));
        m.put("top", List.of("top", "upper"));
        m.put("bottom", List.of("bottom", "lower"));
        m.put("left", List.of("left"));
        m.put("right", List.of("right"));
        m.put("center", List.of("center", "centre", "middle", "central"));
        return m;
    }

    static TinyProjections initial(TinyModelSpec spec, List<String> vocab, float[] wordEmbeddings) {
        int d = spec.dimension();
        int fi = spec.imageFeatureDimension();
        int ft = spec.textFeatureDimension();
        float[] image = TinyModelGenerator.gaussian(spec.seed(), "image_projection", d * fi,
                RANDOM_SCALE / Math.sqrt(fi));
        float[] text = TinyModelGenerator.gaussian(spec.seed(), "text_projection", d * ft,
                RANDOM_SCALE / Math.sqrt(ft));
        int grid3 = -1;
        int offset = 0;
        int k = TinyFeatures.COLOURS.size();
        for (int g : spec.colourGrids()) {
            if (g == 3) {
                grid3 = offset;
            }
            offset += k * g * g;
        }
        if (!spec.withPrior() || grid3 < 0) {
            return new TinyProjections(image, text);
        }
        Map<String, float[]> directions = new LinkedHashMap<>();
        for (String concept : CONCEPT_WORDS.keySet()) {
            float[] u = TinyModelGenerator.gaussian(spec.seed(), "concept_" + concept, d, 1.0);
            double n = 0;
            for (float x : u) {
                n += x * x;
            }
            for (int i = 0; i < d; i++) {
                u[i] /= (float) Math.sqrt(n);
            }
            directions.put(concept, u);
        }
        // Text: W[:, word block] += u_c e_wᵀ / |e_w|², so W e_w = u_c (plus crosstalk of nearly orthogonal words).
        int wd = spec.wordDimension();
        for (Map.Entry<String, List<String>> c : CONCEPT_WORDS.entrySet()) {
            float[] u = directions.get(c.getKey());
            for (String word : c.getValue()) {
                int id = vocab.indexOf(word);
                if (id < 0) {
                    throw new IllegalStateException("prior word '" + word + "' is not in the vocabulary");
                }
                double n2 = 0;
                for (int j = 0; j < wd; j++) {
                    n2 += wordEmbeddings[id * wd + j] * wordEmbeddings[id * wd + j];
                }
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < wd; j++) {
                        text[i * ft + j] += (float) (u[i] * wordEmbeddings[id * wd + j] / n2);
                    }
                }
            }
        }
        // Image: 3×3 colour cells -> colour + row + column directions.
        String[] rows = {"top", "center", "bottom"};
        String[] cols = {"left", "center", "right"};
        for (int c = 0; c < k; c++) {
            TinyFeatures.Colour colour = TinyFeatures.COLOURS.get(c);
            float weight = colour.achromatic() ? ACHROMATIC_WEIGHT : 1f;
            float[] uc = directions.get(colour.word());
            for (int r = 0; r < 3; r++) {
                for (int q = 0; q < 3; q++) {
                    int feature = grid3 + c * 9 + r * 3 + q;
                    float[] ur = directions.get(rows[r]);
                    float[] uq = directions.get(cols[q]);
                    float rw = r == 1 ? 0.5f : 1f;
                    float qw = q == 1 ? 0.5f : 1f;
                    for (int i = 0; i < d; i++) {
                        image[i * fi + feature] += weight * (uc[i] + rw * ur[i] + qw * uq[i]);
                    }
                }
            }
        }
        return new TinyProjections(image, text);
    }
}
