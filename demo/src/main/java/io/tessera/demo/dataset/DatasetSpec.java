package io.tessera.demo.dataset;

/**
 * What to generate: a seed and a size. The size N is the number of images; the other modalities scale with it:
 * <ul>
 * <li>images: N</li>
 * <li>videos: ceil(0.12·N), documents: ceil(0.12·N) (2 to 4 pages each), text passages: ceil(0.3·N)</li>
 * <li>evaluation (held-out) share of each modality: max(1, round(0.2·count)), the rest is training</li>
 * </ul>
 * The default, N = {@value #DEFAULT_SIZE}, gives 200 images, 24 videos, 24 documents and 60 texts. N ranges from
 * {@value #MIN_SIZE} (every modality has at least one training and one evaluation item) to {@value #MAX_SIZE}
 * (beyond it the held-out video moments run out of unique combinations of shape, colour and position).
 */
public record DatasetSpec(long seed, int size) {

    public static final int DEFAULT_SIZE = 200;
    public static final long DEFAULT_SEED = 42;
    public static final int MIN_SIZE = 10;
    public static final int MAX_SIZE = 1000;
    /** How long a shape takes to move to its new cell at the start of a moment. */
    public static final int TRANSITION_MS = 400;

    public DatasetSpec {
        if (size < MIN_SIZE || size > MAX_SIZE) {
            throw new InvalidDatasetSpecException(
                    "dataset size " + size + " is out of range: use --size between " + MIN_SIZE + " and " + MAX_SIZE);
        }
    }

    public int images() {
        return size;
    }

    public int videos() {
        return ceil(size * 12, 100);
    }

    public int documents() {
        return ceil(size * 12, 100);
    }

    public int texts() {
        return ceil(size * 30, 100);
    }

    /** How many of {@code count} items of a modality are held out for evaluation. */
    public static int evalShare(int count) {
        return Math.max(1, (int) Math.round(count * 0.2));
    }

    private static int ceil(int numerator, int denominator) {
        return (numerator + denominator - 1) / denominator;
    }
}
