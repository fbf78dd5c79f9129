package io.tessera.models.tiny;

import java.util.List;

/**
 * The fixed feature extractors of the generated models, as constants shared by the graph generator and by any
 * independent re-computation (the tests compute the towers in plain Java from these constants).
 *
 * <p><b>Image features</b> (all from RGB in [0,1], i.e. pixel_values × std + mean), concatenated in this order:
 * <ol>
 *   <li>Colour: each pixel is softly assigned to the {@link #COLOURS} prototypes, softmax over
 *       {@code -‖rgb − prototype‖² / T} ({@link #COLOUR_TEMPERATURE}); the maps are averaged over each cell of every
 *       colour grid ({@code [colour][row][col]} per grid) and square-rooted ({@link #SQRT_EPSILON}) (Hellinger scaling, so a small shape is
 *       not drowned by the background).</li>
 *   <li>Shape: the colour maps, average-pooled by the edge downsample factor and edge-padded by one pixel, go
 *       through oriented first-derivative filters ({@code cos θ·Sobelx + sin θ·Sobely}, θ in
 *       {@link #ORIENTATIONS_DEGREES}) per colour; absolute responses averaged per cell of every edge grid
 *       ({@code [colour][orientation][row][col]}), square-rooted. That is edge orientation per colour and place:
 *       the straight sides of a square, the slants of a triangle or diamond, the all-round edges of a circle.</li>
 *   <li>Texture: luminance ({@link #LUMA}) at full resolution, edge-padded: |Laplacian| (fine texture, noise,
 *       stripes, dots) averaged per edge-grid cell and square-rooted, then the signed Sobel x/y derivatives
 *       averaged per edge-grid cell and multiplied by {@link #GRADIENT_GAIN} (a smooth gradient background);
 *       per grid: {@code [|lap|][row][col]} then {@code [gx, gy][row][col]}.</li>
 * </ol>
 * Every feature is a fixed function, and everything that depends on colour × position × shape × size is kept
 * apart in its own feature, so a trainable linear projection can learn which combinations words refer to.
 *
 * <p><b>Text features</b>: masked mean of fixed word embeddings (Gaussian, seeded, so every vocabulary word gets
 * its own nearly orthogonal vector), then masked mean of fixed embeddings of hashed word bigrams
 * ({@code (a·P + b) mod buckets}, {@link #BIGRAM_HASH_MULTIPLIER}), concatenated. Linear in the words, so a linear
 * projection can map each word (and each frequent word pair) where it belongs.
 */
public final class TinyFeatures {
    private TinyFeatures() {}

    /** A colour prototype and the colour word it means. */
    public record Colour(String prototype, String word, float r, float g, float b) {
        public boolean achromatic() {
            return r == g && g == b;
        }
    }

    public static final List<Colour> COLOURS = List.of(
            new Colour("black", "black", 0f, 0f, 0f),
            new Colour("white", "white", 1f, 1f, 1f),
            new Colour("gray", "gray", 0.5f, 0.5f, 0.5f),
            new Colour("silver", "gray", 0.75f, 0.75f, 0.75f),
            new Colour("red", "red", 1f, 0f, 0f),
            new Colour("maroon", "red", 0.55f, 0f, 0f),
            new Colour("orange", "orange", 1f, 0.55f, 0f),
            new Colour("yellow", "yellow", 1f, 1f, 0f),
            new Colour("green", "green", 0f, 0.5f, 0f),
            new Colour("lime", "green", 0f, 1f, 0f),
            new Colour("cyan", "cyan", 0f, 1f, 1f),
            new Colour("blue", "blue", 0f, 0f, 1f),
            new Colour("navy", "blue", 0f, 0f, 0.5f),
            new Colour("purple", "purple", 0.5f, 0f, 0.5f),
            new Colour("magenta", "purple", 1f, 0f, 1f),
            new Colour("pink", "pink", 1f, 0.75f, 0.8f),
            new Colour("brown", "brown", 0.55f, 0.27f, 0.07f));

    public static final float COLOUR_TEMPERATURE = 0.02f;
    /**
     * The "square root" of pooled features is {@code sqrt(x + ε) − sqrt(ε)}: as compressing as a square root for
     * real signal, but with a bounded slope at 0, so float rounding noise (~1e-8) in empty cells stays ~1e-7
     * instead of becoming 1e-4, and CPU, GPU and reference agree.
     */
    public static final float SQRT_EPSILON = 1e-4f;
    public static final int[] ORIENTATIONS_DEGREES = {0, 30, 60, 90, 120, 150};
    public static final float[] LUMA = {0.299f, 0.587f, 0.114f};
    public static final float GRADIENT_GAIN = 10f;

    /** Sobel kernels, [row][col], divided by 8 so a unit step gives a response of 0.5. */
    public static final float[][] SOBEL_X = {{-1 / 8f, 0, 1 / 8f}, {-2 / 8f, 0, 2 / 8f}, {-1 / 8f, 0, 1 / 8f}};
    public static final float[][] SOBEL_Y = {{-1 / 8f, -2 / 8f, -1 / 8f}, {0, 0, 0}, {1 / 8f, 2 / 8f, 1 / 8f}};
    public static final float[][] LAPLACIAN = {{0, 1, 0}, {1, -4, 1}, {0, 1, 0}};

    public static final long BIGRAM_HASH_MULTIPLIER = 1_000_003L;
    /** Smallest norm divided by in the L2 normalisation (an all-zero feature vector stays finite). */
    public static final float NORM_EPSILON = 1e-12f;

    /** The oriented derivative kernel for one orientation, [row][col]. */
    public static float[][] orientedKernel(int degrees) {
        double t = Math.toRadians(degrees);
        float c = (float) Math.cos(t);
        float s = (float) Math.sin(t);
        float[][] k = new float[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                k[i][j] = c * SOBEL_X[i][j] + s * SOBEL_Y[i][j];
            }
        }
        return k;
    }
}
