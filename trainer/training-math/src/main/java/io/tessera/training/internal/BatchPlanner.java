package io.tessera.training.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Plans every batch of a run up front (so the learning-rate schedule knows the total): per epoch, each
 * task's examples are sampled by its mix weight and shuffled, split into {@code ceil(m/batchSize)} batches
 * of near-equal size (sizes differ by at most one, so no trailing batch of one or two examples), and the
 * batches of all tasks are shuffled together, so tasks interleave while every batch holds a single task.
 */
public final class BatchPlanner {

    public record Batch(int epoch, int task, int[] examples) {
    }

    private BatchPlanner() {
    }

    /**
     * @param examplesByTask example indices of each task (index = task index)
     * @param taskWeights    per task: {@code 1} = each example once per epoch, {@code 0.5} = a random half,
     *                       {@code 2.5} = two full passes plus a random half
     */
    public static List<Batch> plan(int[][] examplesByTask, double[] taskWeights, int batchSize, int epochs,
                                   SplittableRandom random) {
        List<Batch> all = new ArrayList<>();
        for (int epoch = 0; epoch < epochs; epoch++) {
            List<Batch> epochBatches = new ArrayList<>();
            for (int task = 0; task < examplesByTask.length; task++) {
                int[] sample = sample(examplesByTask[task], taskWeights[task], random);
                if (sample.length == 0) {
                    continue;
                }
                int count = (sample.length + batchSize - 1) / batchSize;
                int start = 0;
                for (int b = 0; b < count; b++) {
                    int size = sample.length / count + (b < sample.length % count ? 1 : 0);
                    int[] batch = new int[size];
                    System.arraycopy(sample, start, batch, 0, size);
                    start += size;
                    epochBatches.add(new Batch(epoch, task, batch));
                }
            }
            shuffle(epochBatches, random);
            all.addAll(epochBatches);
        }
        return all;
    }

    private static int[] sample(int[] examples, double weight, SplittableRandom random) {
        int full = (int) Math.floor(weight);
        int partial = (int) Math.round((weight - full) * examples.length);
        int[] out = new int[full * examples.length + partial];
        int pos = 0;
        for (int r = 0; r < full; r++) {
            int[] perm = examples.clone();
            shuffle(perm, random);
            System.arraycopy(perm, 0, out, pos, perm.length);
            pos += perm.length;
        }
        if (partial > 0) {
            int[] perm = examples.clone();
            shuffle(perm, random);
            System.arraycopy(perm, 0, out, pos, partial);
        }
        return out;
    }

    static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    static <T> void shuffle(List<T> a, SplittableRandom random) {
        for (int i = a.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T t = a.get(i);
            a.set(i, a.get(j));
            a.set(j, t);
        }
    }
}
