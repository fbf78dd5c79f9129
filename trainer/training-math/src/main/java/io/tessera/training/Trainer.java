package io.tessera.training;

import io.tessera.training.internal.AdamW;
import io.tessera.training.internal.BatchLoss;
import io.tessera.training.internal.BatchPlanner;
import io.tessera.training.internal.ContrastiveObjective;
import io.tessera.training.internal.LearningRateSchedule;
import io.tessera.training.internal.LoraTower;
import io.tessera.training.internal.Temperature;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;

/**
 * Trains LoRA adapters on every tower's projection and one temperature per task with RECIPE's objective
 * (see {@link io.tessera.training.internal.ContrastiveObjective}), AdamW, warm-up and cosine decay.
 * Deterministic: equal sets and configs give bit-for-bit equal runs, on any number of cores.
 */
public final class Trainer {

    /** Called after every step, on the training thread. */
    @FunctionalInterface
    public interface StepListener {
        void onStep(StepRecord step, int totalSteps);
    }

    private Trainer() {
    }

    public static TrainingRun train(TrainingSet set, TrainingConfig config) {
        return train(set, config, "run-" + config.seed(), (s, t) -> { });
    }

    /**
     * @throws CancellationException if the calling thread is interrupted (checked between steps)
     */
    public static TrainingRun train(TrainingSet set, TrainingConfig config, String runId, StepListener listener) {
        long start = System.nanoTime();
        SplittableRandom master = new SplittableRandom(config.seed());
        List<String> towerNames = set.towers();
        LoraTower[] towers = new LoraTower[towerNames.size()];
        AdamW optimizer = new AdamW(config.adamBeta1(), config.adamBeta2(), config.adamEpsilon(), config.weightDecay());
        AdamW.Group[][] towerGroups = new AdamW.Group[towers.length][];
        for (int t = 0; t < towers.length; t++) {
            TrainingSet.TowerItems items = set.towerItems(t);
            int rank = resolveRank(config.loraRank(), items);
            towers[t] = new LoraTower(items.outDim, items.inDim, rank, config.loraAlpha());
            towers[t].initialise(master.split());
            towerGroups[t] = new AdamW.Group[] {
                    new AdamW.Group(towers[t].a, towers[t].gradA, 1.0, true),
                    new AdamW.Group(towers[t].b, towers[t].gradB, 1.0, true)};
            optimizer.add(towerGroups[t][0]);
            optimizer.add(towerGroups[t][1]);
        }
        List<String> tasks = set.tasks();
        double[][] theta = new double[tasks.size()][];
        double[][] gradTheta = new double[tasks.size()][];
        AdamW.Group[] thetaGroups = new AdamW.Group[tasks.size()];
        for (int k = 0; k < tasks.size(); k++) {
            theta[k] = new double[] {Math.log(config.temperatureInit())};
            gradTheta[k] = new double[1];
            if (config.learnableTemperature()) {
                // Temperatures are never decayed: decay would pull τ towards exp(0) = 1 for no reason.
                thetaGroups[k] = new AdamW.Group(theta[k], gradTheta[k],
                        config.temperatureLearningRate() / config.learningRate(), false);
                optimizer.add(thetaGroups[k]);
            }
        }

        int[][] byTask = examplesByTask(set);
        double[] weights = new double[tasks.size()];
        for (int k = 0; k < tasks.size(); k++) {
            weights[k] = config.taskWeight(tasks.get(k));
        }
        List<BatchPlanner.Batch> plan = BatchPlanner.plan(byTask, weights, config.batchSize(), config.epochs(),
                master.split());
        if (plan.isEmpty()) {
            throw new InvalidTrainingInputException("the task mix " + config.taskMix() + " selects no examples");
        }
        LearningRateSchedule schedule = LearningRateSchedule.of(config.learningRate(), config.warmupFraction(),
                plan.size(), config.minLearningRateRatio());
        BatchLoss.Options options = new BatchLoss.Options(
                new ContrastiveObjective.Settings(config.hardnessWeighting(), config.beta(),
                        config.falseNegativeFiltering(), config.delta()),
                config.symmetricLoss(), config.inBatchNegatives(), config.shareCuratedNegatives(),
                config.temperatureMin(), config.temperatureMax());

        List<StepRecord> history = new ArrayList<>(plan.size());
        for (int step = 0; step < plan.size(); step++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("training run " + runId + " interrupted at step " + step);
            }
            BatchPlanner.Batch batch = plan.get(step);
            for (LoraTower tower : towers) {
                tower.zeroGrad();
            }
            boolean[] used = BatchLoss.towersUsed(set, batch.examples());
            for (int t = 0; t < towers.length; t++) {
                towerGroups[t][0].setActive(used[t]);
                towerGroups[t][1].setActive(used[t]);
            }
            for (int k = 0; k < tasks.size(); k++) {
                gradTheta[k][0] = 0;
                if (thetaGroups[k] != null) {
                    thetaGroups[k].setActive(k == batch.task());
                }
            }
            BatchLoss.Outcome outcome = BatchLoss.compute(set, towers, theta[batch.task()][0], batch.examples(), options);
            if (!Double.isFinite(outcome.loss())) {
                throw new ArithmeticException("training run " + runId + " diverged at step " + step
                        + " (loss " + outcome.loss() + "); lower the learning rate or enable gradient clipping");
            }
            gradTheta[batch.task()][0] = outcome.gradTheta();
            double norm = optimizer.clipGradientNorm(config.maxGradNorm());
            double lr = schedule.rate(step);
            optimizer.step(lr);
            if (config.learnableTemperature()) {
                double[] th = theta[batch.task()];
                th[0] = Temperature.project(th[0], config.temperatureMin(), config.temperatureMax());
            }
            StepRecord record = new StepRecord(step, batch.epoch(), tasks.get(batch.task()), batch.examples().length,
                    outcome.loss(), lr, norm, outcome.tau(), outcome.detail().keptNegatives(),
                    outcome.detail().filteredNegatives());
            history.add(record);
            listener.onStep(record, plan.size());
        }

        Map<String, LoraAdapter> adapters = new TreeMap<>();
        for (int t = 0; t < towers.length; t++) {
            adapters.put(towerNames.get(t), towers[t].snapshot());
        }
        Map<String, Double> temperatures = new TreeMap<>();
        for (int k = 0; k < tasks.size(); k++) {
            temperatures.put(tasks.get(k), Temperature.tau(theta[k][0], config.temperatureMin(), config.temperatureMax()));
        }
        return new TrainingRun(runId, config, adapters, temperatures, history, (System.nanoTime() - start) / 1_000_000);
    }

    static int resolveRank(int configured, TrainingSet.TowerItems tower) {
        int max = Math.min(tower.outDim, tower.inDim);
        if (configured == TrainingConfig.FULL_RANK) {
            return max;
        }
        if (configured > max) {
            throw new InvalidTrainingInputException("loraRank " + configured + " exceeds min(d_out, d_in) = " + max
                    + " of tower '" + tower.tower + "'; use TrainingConfig.FULL_RANK for a full-rank update");
        }
        return configured;
    }

    private static int[][] examplesByTask(TrainingSet set) {
        int[] counts = new int[set.tasks().size()];
        for (TrainingSet.IndexedExample ex : set.examples()) {
            counts[ex.task()]++;
        }
        int[][] out = new int[counts.length][];
        for (int k = 0; k < counts.length; k++) {
            out[k] = new int[counts[k]];
        }
        int[] fill = new int[counts.length];
        for (int i = 0; i < set.examples().size(); i++) {
            int k = set.examples().get(i).task();
            out[k][fill[k]++] = i;
        }
        return out;
    }
}
