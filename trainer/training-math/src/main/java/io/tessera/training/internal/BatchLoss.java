package io.tessera.training.internal;

import io.tessera.training.TrainingSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The loss of one single-task batch and its gradients with respect to every tower's LoRA factors (accumulated
 * into the towers' gradient arrays) and to the task's temperature logit {@code θ}.
 *
 * <p>Negatives of query {@code i}: the other examples' positives ({@code inBatchNegatives}), the curated
 * negatives of every example in the batch ({@code shareCuratedNegatives}) or only its own, restricted to the
 * tower of its positive, never the query or the positive item itself (same tower and key). In the symmetric
 * variant each positive is also scored against the batch's other queries.
 */
public final class BatchLoss {

    private BatchLoss() {
    }

    public record Options(ContrastiveObjective.Settings objective, boolean symmetric, boolean inBatchNegatives,
                          boolean shareCuratedNegatives, double temperatureMin, double temperatureMax) {
    }

    public record Outcome(double loss, double tau, double gradTheta, ContrastiveObjective.Result detail) {
    }

    public static Outcome compute(TrainingSet set, LoraTower[] towers, double theta, int[] exampleIndices,
                                  Options options) {
        return compute(set, towers, theta, exampleIndices, options, null);
    }

    /**
     * @param frozen an earlier outcome's objective result on the same batch whose filter decisions and hardness
     *               weights are reused as constants (for finite-difference checks), or null
     */
    public static Outcome compute(TrainingSet set, LoraTower[] towers, double theta, int[] exampleIndices,
                                  Options options, ContrastiveObjective.Result frozen) {
        List<TrainingSet.IndexedExample> batch = new ArrayList<>(exampleIndices.length);
        for (int i : exampleIndices) {
            batch.add(set.examples().get(i));
        }
        int towerCount = set.towers().size();

        // Distinct items per tower, in first-seen order; global index = tower offset + local index.
        List<Map<Integer, Integer>> local = new ArrayList<>();
        List<List<Integer>> items = new ArrayList<>();
        for (int t = 0; t < towerCount; t++) {
            local.add(new HashMap<>());
            items.add(new ArrayList<>());
        }
        for (TrainingSet.IndexedExample ex : batch) {
            register(ex.query(), local, items);
            register(ex.positive(), local, items);
            for (long n : ex.negatives()) {
                register(n, local, items);
            }
        }
        int[] offset = new int[towerCount + 1];
        for (int t = 0; t < towerCount; t++) {
            offset[t + 1] = offset[t] + items.get(t).size();
        }

        LoraTower.Activations[] acts = new LoraTower.Activations[towerCount];
        double[][] embeddings = new double[offset[towerCount]][];
        for (int t = 0; t < towerCount; t++) {
            List<Integer> its = items.get(t);
            if (its.isEmpty()) {
                continue;
            }
            TrainingSet.TowerItems data = set.towerItems(t);
            double[][] feats = new double[its.size()][];
            double[][] base = new double[its.size()][];
            for (int i = 0; i < its.size(); i++) {
                feats[i] = data.features(its.get(i));
                base[i] = data.baseOutput(its.get(i));
            }
            acts[t] = towers[t].forward(feats, base);
            System.arraycopy(acts[t].embeddings, 0, embeddings, offset[t], its.size());
        }

        int n = batch.size();
        int[] q = new int[n];
        int[] p = new int[n];
        int[][] own = new int[n][];
        for (int i = 0; i < n; i++) {
            TrainingSet.IndexedExample ex = batch.get(i);
            q[i] = global(ex.query(), local, offset);
            p[i] = global(ex.positive(), local, offset);
            own[i] = new int[ex.negatives().length];
            for (int k = 0; k < own[i].length; k++) {
                own[i][k] = global(ex.negatives()[k], local, offset);
            }
        }
        // Shared candidate pools, by tower.
        List<TreeSet<Integer>> pools = new ArrayList<>();
        for (int t = 0; t < towerCount; t++) {
            pools.add(new TreeSet<>());
        }
        for (int i = 0; i < n; i++) {
            if (options.inBatchNegatives()) {
                pools.get(towerOfGlobal(p[i], offset)).add(p[i]);
            }
            if (options.shareCuratedNegatives()) {
                for (int c : own[i]) {
                    pools.get(towerOfGlobal(c, offset)).add(c);
                }
            }
        }
        List<ContrastiveObjective.Entry> forward = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            TreeSet<Integer> cands = new TreeSet<>(pools.get(towerOfGlobal(p[i], offset)));
            if (!options.shareCuratedNegatives()) {
                for (int c : own[i]) {
                    cands.add(c);
                }
            }
            cands.remove(q[i]);
            cands.remove(p[i]);
            forward.add(new ContrastiveObjective.Entry(q[i], p[i], toArray(cands), batch.get(i).weight()));
        }
        List<ContrastiveObjective.Entry> reverse = new ArrayList<>();
        if (options.symmetric()) {
            for (int i = 0; i < n; i++) {
                int tower = towerOfGlobal(q[i], offset);
                TreeSet<Integer> cands = new TreeSet<>();
                for (int j = 0; j < n; j++) {
                    if (towerOfGlobal(q[j], offset) == tower) {
                        cands.add(q[j]);
                    }
                }
                cands.remove(q[i]);
                cands.remove(p[i]);
                reverse.add(new ContrastiveObjective.Entry(p[i], q[i], toArray(cands), batch.get(i).weight()));
            }
        }

        double tau = Temperature.tau(theta, options.temperatureMin(), options.temperatureMax());
        ContrastiveObjective.Result result = ContrastiveObjective.evaluate(embeddings, forward, reverse, tau,
                options.objective(), frozen);

        for (int t = 0; t < towerCount; t++) {
            if (acts[t] == null) {
                continue;
            }
            double[][] g = Arrays.copyOfRange(result.gradEmbeddings, offset[t], offset[t + 1]);
            towers[t].backward(acts[t], g);
        }
        double gradTheta = Temperature.gradTheta(theta, options.temperatureMin(), options.temperatureMax(),
                result.gradTau);
        return new Outcome(result.loss, tau, gradTheta, result);
    }

    /** Which towers an example batch touches (those whose parameters get a gradient). */
    public static boolean[] towersUsed(TrainingSet set, int[] exampleIndices) {
        boolean[] used = new boolean[set.towers().size()];
        for (int i : exampleIndices) {
            TrainingSet.IndexedExample ex = set.examples().get(i);
            used[TrainingSet.towerOf(ex.query())] = true;
            used[TrainingSet.towerOf(ex.positive())] = true;
            for (long r : ex.negatives()) {
                used[TrainingSet.towerOf(r)] = true;
            }
        }
        return used;
    }

    private static void register(long ref, List<Map<Integer, Integer>> local, List<List<Integer>> items) {
        int t = TrainingSet.towerOf(ref);
        int item = TrainingSet.itemOf(ref);
        if (!local.get(t).containsKey(item)) {
            local.get(t).put(item, items.get(t).size());
            items.get(t).add(item);
        }
    }

    private static int global(long ref, List<Map<Integer, Integer>> local, int[] offset) {
        int t = TrainingSet.towerOf(ref);
        return offset[t] + local.get(t).get(TrainingSet.itemOf(ref));
    }

    private static int towerOfGlobal(int g, int[] offset) {
        int t = 0;
        while (g >= offset[t + 1]) {
            t++;
        }
        return t;
    }

    private static int[] toArray(TreeSet<Integer> set) {
        int[] out = new int[set.size()];
        int i = 0;
        for (int v : set) {
            out[i++] = v;
        }
        return out;
    }
}
