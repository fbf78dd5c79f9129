package io.tessera.training;

import java.util.Map;
import java.util.TreeMap;

/**
 * Everything one training run depends on besides its data. Two runs with equal configs on equal data give
 * bit-for-bit equal results. Build with {@link #builder()}; {@link Builder#build()} validates every value.
 *
 * @param seed                  seeds LoRA initialisation, shuffling and task-mix sampling
 * @param epochs                passes over the (task-mixed) training set
 * @param batchSize             target examples per batch; a task's examples are split into
 *                              {@code ceil(n / batchSize)} batches of near-equal size, so no batch is tiny
 * @param learningRate          peak learning rate of the LoRA factors
 * @param temperatureLearningRate peak learning rate of the temperature logits {@code θ_t}
 * @param warmupFraction        fraction of all steps spent warming up linearly from 0 to the peak
 * @param minLearningRateRatio  the cosine decay ends at {@code peak * minLearningRateRatio}
 * @param weightDecay           AdamW's decoupled decay, applied to the LoRA factors only (never to temperatures)
 * @param adamBeta1             AdamW first-moment decay
 * @param adamBeta2             AdamW second-moment decay
 * @param adamEpsilon           AdamW denominator epsilon
 * @param maxGradNorm           clip the global gradient norm (all parameters) to this; {@code 0} disables clipping
 * @param loraRank              LoRA rank {@code r}, or {@link #FULL_RANK} for {@code min(d_out, d_in)} per tower
 * @param loraAlpha             LoRA {@code α}; the update is {@code (α/r)·B·A}
 * @param hardnessWeighting     weight each negative by {@code exp(β·s(q,n))}, normalised to mean 1 (no gradient)
 * @param beta                  {@code β} of the hardness weighting
 * @param falseNegativeFiltering drop a negative {@code n} of a query when {@code s(p,n) > δ}
 * @param delta                 {@code δ} of the false-negative filter
 * @param learnableTemperature  learn one {@code τ_t = exp(θ_t)} per task; otherwise {@code τ} stays at its initial value
 * @param temperatureInit       initial {@code τ} of every task
 * @param temperatureMin        lower clamp of {@code τ}
 * @param temperatureMax        upper clamp of {@code τ}
 * @param symmetricLoss         also score each positive against the batch's queries (mean of both directions);
 *                              off by default: RECIPE's loss is the query-to-positive direction only
 * @param inBatchNegatives      other examples' positives (same tower) are negatives
 * @param shareCuratedNegatives other examples' curated negatives (same tower) are negatives too
 * @param taskMix               per-task sampling weight per epoch ({@code 1} = every example once, {@code 0.5} = a
 *                              seeded half, {@code 2} = twice); tasks not named use {@code 1}
 */
public record TrainingConfig(
        long seed,
        int epochs,
        int batchSize,
        double learningRate,
        double temperatureLearningRate,
        double warmupFraction,
        double minLearningRateRatio,
        double weightDecay,
        double adamBeta1,
        double adamBeta2,
        double adamEpsilon,
        double maxGradNorm,
        int loraRank,
        double loraAlpha,
        boolean hardnessWeighting,
        double beta,
        boolean falseNegativeFiltering,
        double delta,
        boolean learnableTemperature,
        double temperatureInit,
        double temperatureMin,
        double temperatureMax,
        boolean symmetricLoss,
        boolean inBatchNegatives,
        boolean shareCuratedNegatives,
        Map<String, Double> taskMix) {

    /** {@link #loraRank} value meaning {@code r = min(d_out, d_in)} of each tower. */
    public static final int FULL_RANK = 0;

    public TrainingConfig {
        // Sorted, so that printing a config (run reports) is the same in every JVM.
        taskMix = java.util.Collections.unmodifiableMap(taskMix == null ? new TreeMap<>() : new TreeMap<>(taskMix));
        validate(epochs, batchSize, learningRate, temperatureLearningRate, warmupFraction, minLearningRateRatio,
                weightDecay, adamBeta1, adamBeta2, adamEpsilon, maxGradNorm, loraRank, loraAlpha, beta, delta,
                temperatureInit, temperatureMin, temperatureMax, taskMix);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The sampling weight of {@code task} in {@link #taskMix}. */
    public double taskWeight(String task) {
        return taskMix.getOrDefault(task, 1.0);
    }

    private static void validate(int epochs, int batchSize, double lr, double tauLr, double warmup, double minRatio,
                                 double wd, double b1, double b2, double eps, double clip, int rank, double alpha,
                                 double beta, double delta, double tInit, double tMin, double tMax,
                                 Map<String, Double> mix) {
        require(epochs >= 1, "epochs must be at least 1, got " + epochs);
        require(batchSize >= 2, "batchSize must be at least 2, got " + batchSize);
        require(lr > 0 && Double.isFinite(lr), "learningRate must be positive, got " + lr);
        require(tauLr >= 0 && Double.isFinite(tauLr), "temperatureLearningRate must be >= 0, got " + tauLr);
        require(warmup >= 0 && warmup < 1, "warmupFraction must be in [0, 1), got " + warmup);
        require(minRatio >= 0 && minRatio <= 1, "minLearningRateRatio must be in [0, 1], got " + minRatio);
        require(wd >= 0 && Double.isFinite(wd), "weightDecay must be >= 0, got " + wd);
        require(b1 >= 0 && b1 < 1, "adamBeta1 must be in [0, 1), got " + b1);
        require(b2 >= 0 && b2 < 1, "adamBeta2 must be in [0, 1), got " + b2);
        require(eps > 0, "adamEpsilon must be positive, got " + eps);
        require(clip >= 0 && !Double.isNaN(clip), "maxGradNorm must be >= 0 (0 disables clipping), got " + clip);
        require(rank >= 0, "loraRank must be >= 1, or FULL_RANK (0), got " + rank);
        require(alpha > 0 && Double.isFinite(alpha), "loraAlpha must be positive, got " + alpha);
        require(Double.isFinite(beta), "beta must be finite, got " + beta);
        require(delta >= -1 && delta <= 1, "delta is a cosine threshold and must be in [-1, 1], got " + delta);
        require(tMin > 0 && tMin <= tMax && Double.isFinite(tMax),
                "temperature range must satisfy 0 < temperatureMin <= temperatureMax, got [" + tMin + ", " + tMax + "]");
        require(tInit >= tMin && tInit <= tMax,
                "temperatureInit " + tInit + " must lie in [" + tMin + ", " + tMax + "]");
        for (Map.Entry<String, Double> e : mix.entrySet()) {
            require(e.getValue() != null && e.getValue() >= 0 && Double.isFinite(e.getValue()),
                    "taskMix weight of '" + e.getKey() + "' must be >= 0, got " + e.getValue());
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new InvalidTrainingInputException(message);
        }
    }

    /** Builder with the defaults used by Tessera's trainer (see the README for how they were chosen). */
    public static final class Builder {
        private long seed = 0;
        private int epochs = 4;
        private int batchSize = 64;
        private double learningRate = 1e-2;
        private Double temperatureLearningRate;
        private double warmupFraction = 0.1;
        private double minLearningRateRatio = 0.0;
        private double weightDecay = 0.05;
        private double adamBeta1 = 0.9;
        private double adamBeta2 = 0.999;
        private double adamEpsilon = 1e-8;
        private double maxGradNorm = 0.0;
        private int loraRank = 16;
        private double loraAlpha = 16;
        private boolean hardnessWeighting = true;
        private double beta = 3.0;
        private boolean falseNegativeFiltering = true;
        private double delta = 0.95;
        private boolean learnableTemperature = true;
        private double temperatureInit = 0.05;
        private double temperatureMin = 0.01;
        private double temperatureMax = 1.0;
        private boolean symmetricLoss = false;
        private boolean inBatchNegatives = true;
        private boolean shareCuratedNegatives = true;
        private Map<String, Double> taskMix = new TreeMap<>();

        private Builder() {
        }

        private Builder(TrainingConfig c) {
            seed = c.seed;
            epochs = c.epochs;
            batchSize = c.batchSize;
            learningRate = c.learningRate;
            // A temperature rate equal to the factors' rate keeps following it when the copy changes the latter.
            temperatureLearningRate = c.temperatureLearningRate == c.learningRate ? null : c.temperatureLearningRate;
            warmupFraction = c.warmupFraction;
            minLearningRateRatio = c.minLearningRateRatio;
            weightDecay = c.weightDecay;
            adamBeta1 = c.adamBeta1;
            adamBeta2 = c.adamBeta2;
            adamEpsilon = c.adamEpsilon;
            maxGradNorm = c.maxGradNorm;
            loraRank = c.loraRank;
            loraAlpha = c.loraAlpha;
            hardnessWeighting = c.hardnessWeighting;
            beta = c.beta;
            falseNegativeFiltering = c.falseNegativeFiltering;
            delta = c.delta;
            learnableTemperature = c.learnableTemperature;
            temperatureInit = c.temperatureInit;
            temperatureMin = c.temperatureMin;
            temperatureMax = c.temperatureMax;
            symmetricLoss = c.symmetricLoss;
            inBatchNegatives = c.inBatchNegatives;
            shareCuratedNegatives = c.shareCuratedNegatives;
            taskMix = new TreeMap<>(c.taskMix);
        }

        public Builder seed(long v) { seed = v; return this; }
        public Builder epochs(int v) { epochs = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder learningRate(double v) { learningRate = v; return this; }
        /** Defaults to the learning rate of the LoRA factors. */
        public Builder temperatureLearningRate(double v) { temperatureLearningRate = v; return this; }
        public Builder warmupFraction(double v) { warmupFraction = v; return this; }
        public Builder minLearningRateRatio(double v) { minLearningRateRatio = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder adamBeta1(double v) { adamBeta1 = v; return this; }
        public Builder adamBeta2(double v) { adamBeta2 = v; return this; }
        public Builder adamEpsilon(double v) { adamEpsilon = v; return this; }
        public Builder maxGradNorm(double v) { maxGradNorm = v; return this; }
        public Builder loraRank(int v) { loraRank = v; return this; }
        public Builder fullRank() { loraRank = FULL_RANK; return this; }
        public Builder loraAlpha(double v) { loraAlpha = v; return this; }
        public Builder hardnessWeighting(boolean v) { hardnessWeighting = v; return this; }
        public Builder beta(double v) { beta = v; return this; }
        public Builder falseNegativeFiltering(boolean v) { falseNegativeFiltering = v; return this; }
        public Builder delta(double v) { delta = v; return this; }
        public Builder learnableTemperature(boolean v) { learnableTemperature = v; return this; }
        public Builder temperatureInit(double v) { temperatureInit = v; return this; }
        public Builder temperatureRange(double min, double max) { temperatureMin = min; temperatureMax = max; return this; }
        public Builder symmetricLoss(boolean v) { symmetricLoss = v; return this; }
        public Builder inBatchNegatives(boolean v) { inBatchNegatives = v; return this; }
        public Builder shareCuratedNegatives(boolean v) { shareCuratedNegatives = v; return this; }
        public Builder taskMix(Map<String, Double> v) { taskMix = new TreeMap<>(v); return this; }
        public Builder taskWeight(String task, double weight) { taskMix.put(task, weight); return this; }

        public TrainingConfig build() {
            return new TrainingConfig(seed, epochs, batchSize, learningRate,
                    temperatureLearningRate == null ? learningRate : temperatureLearningRate,
                    warmupFraction, minLearningRateRatio, weightDecay, adamBeta1, adamBeta2, adamEpsilon, maxGradNorm,
                    loraRank, loraAlpha, hardnessWeighting, beta, falseNegativeFiltering, delta, learnableTemperature,
                    temperatureInit, temperatureMin, temperatureMax, symmetricLoss, inBatchNegatives,
                    shareCuratedNegatives, taskMix);
        }
    }
}
