package io.tessera.training;


/** A scaled-down synthetic retrieval problem for tests that train (a second or two). */
public final class SmallProblem {

    private SmallProblem() {
    }

    public static SyntheticDataset.Spec spec(long seed) {
        return new SyntheticDataset.Spec(seed, new int[] {4, 4, 3}, new double[] {1.0, 0.8, 0.6},
                new double[] {1.0, 0.4, 0.2}, 1.5, 48, 64, 64, 24, 8,
                new double[] {1.0, 1.5, 2.0}, new double[] {0.5, 0.8, 1.0}, 4, 2, 0.1, 0.1, 0.2, 0.2, 2);
    }

    public static TrainingConfig.Builder config() {
        return TrainingConfig.builder().epochs(6).batchSize(16).loraRank(4).loraAlpha(8).learningRate(1e-2);
    }
}
