package io.tessera.demo.dataset;

/**
 * What to generate: a seed and a size. The size N is the number of images; the other modalities scale with it:
 * <ul>
 * <li>images: N</li>
 * <li>videos: ceil(0.12·N), documents: ceil(0.12·N) (2 to 4 pages each), text passages: ceil(0.3·N)</li>
 * <li>training items per modality: count − max(1, round(0.2·count))</li>
 * <li>held-out (evaluation) items per modality: enough for {@link #evalQueriesPerTask()} queries per task (half the
 *     size, at most 100: the default size gives 100 per task, enough for a 95 % interval of about ±0.1), and never
 *     fewer than max(1, round(0.2·count))</li>
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

    /** Held-out queries the evaluation aims at per task. */
    public int evalQueriesPerTask() {
        return Math.min(100, Math.max(1, size / 2));
    }

    private static int base(int count, int evalTarget) {
        return count - evalShare(count) + Math.max(evalShare(count), evalTarget);
    }

    public int images() {
        return base(size, evalImages());
    }

    public int videos() {
        return base(ceil(size * 12, 100), evalVideos());
    }

    public int documents() {
        return base(ceil(size * 12, 100), evalDocuments());
    }

    public int texts() {
        return base(ceil(size * 30, 100), evalTexts());
    }

    /** Held-out images: one query each. */
    public int evalImages() {
        return Math.max(evalShare(size), evalQueriesPerTask());
    }

    /** Held-out videos: about 2.6 moments (queries) each; 2 to be safe. */
    public int evalVideos() {
        return Math.max(evalShare(ceil(size * 12, 100)), ceil(evalQueriesPerTask(), 2));
    }

    /** Held-out documents: 2 to 4 pages (queries) each; 2.5 on average is conservative. */
    public int evalDocuments() {
        return Math.max(evalShare(ceil(size * 12, 100)), ceil(evalQueriesPerTask() * 2, 5));
    }

    /** Held-out texts: one query each. */
    public int evalTexts() {
        return Math.max(evalShare(ceil(size * 30, 100)), evalQueriesPerTask());
    }

    /** How many of {@code count} items of a modality are held out for evaluation. */
    public static int evalShare(int count) {
        return Math.max(1, (int) Math.round(count * 0.2));
    }

    private static int ceil(int numerator, int denominator) {
        return (numerator + denominator - 1) / denominator;
    }
}
