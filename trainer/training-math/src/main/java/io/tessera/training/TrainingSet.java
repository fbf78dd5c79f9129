package io.tessera.training;

import io.tessera.training.internal.Linalg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Training examples checked against the base projections and indexed for training: every distinct item
 * (tower + key) is stored once, in double precision, with its base output {@code W0·f} computed once, so
 * that many runs (ablation rows, soup ingredients) share that cost. Immutable.
 */
public final class TrainingSet {

    /** One tower's distinct items. */
    public static final class TowerItems {
        public final String tower;
        public final int inDim;
        public final int outDim;
        public final List<String> keys;
        final double[][] features;
        final double[][] baseOutputs;

        TowerItems(String tower, int inDim, int outDim, List<String> keys, double[][] features, double[][] baseOutputs) {
            this.tower = tower;
            this.inDim = inDim;
            this.outDim = outDim;
            this.keys = keys;
            this.features = features;
            this.baseOutputs = baseOutputs;
        }

        public int size() {
            return keys.size();
        }

        /** Features of item {@code i} (not a copy: do not change). */
        public double[] features(int i) {
            return features[i];
        }

        /** {@code W0·f} of item {@code i} (not a copy: do not change). */
        public double[] baseOutput(int i) {
            return baseOutputs[i];
        }
    }

    /**
     * An example in index form: items are {@code (tower index, item index)} pairs packed by {@link #ref}.
     */
    public record IndexedExample(int task, double weight, long query, long positive, long[] negatives) {
    }

    private final List<String> towers;
    private final List<TowerItems> towerItems;
    private final List<String> tasks;
    private final List<IndexedExample> examples;
    private final Map<String, Projection> baseProjections;

    private TrainingSet(List<String> towers, List<TowerItems> towerItems, List<String> tasks,
                        List<IndexedExample> examples, Map<String, Projection> baseProjections) {
        this.towers = towers;
        this.towerItems = towerItems;
        this.tasks = tasks;
        this.examples = examples;
        this.baseProjections = baseProjections;
    }

    public static long ref(int tower, int item) {
        return ((long) tower << 32) | (item & 0xffffffffL);
    }

    public static int towerOf(long ref) {
        return (int) (ref >>> 32);
    }

    public static int itemOf(long ref) {
        return (int) ref;
    }

    /**
     * @param examples        the training pairs (at least one)
     * @param baseProjections the frozen projection of every tower the examples use, by tower name
     * @throws InvalidTrainingInputException naming the first example, item or projection that does not fit
     */
    public static TrainingSet prepare(List<Example> examples, Map<String, Projection> baseProjections) {
        if (examples == null || examples.isEmpty()) {
            throw new InvalidTrainingInputException("the training set is empty");
        }
        if (baseProjections == null) {
            throw new InvalidTrainingInputException("base projections are required");
        }
        TreeMap<String, Projection> bases = new TreeMap<>(baseProjections);
        TreeMap<String, Integer> towerIndex = new TreeMap<>();
        TreeMap<String, Integer> taskIndex = new TreeMap<>();
        for (int i = 0; i < examples.size(); i++) {
            Example ex = examples.get(i);
            if (ex == null) {
                throw new InvalidTrainingInputException("example " + i + " is null");
            }
            taskIndex.putIfAbsent(ex.task(), 0);
            for (FeatureItem item : items(ex)) {
                Projection p = bases.get(item.tower());
                if (p == null) {
                    throw new InvalidTrainingInputException("example " + i + " (task '" + ex.task() + "') uses tower '"
                            + item.tower() + "' but no base projection was given for it; known towers: " + bases.keySet());
                }
                if (item.features().length != p.inDim()) {
                    throw new InvalidTrainingInputException("item '" + item.key() + "' of tower '" + item.tower()
                            + "' has " + item.features().length + " features, the tower's projection takes " + p.inDim());
                }
                towerIndex.putIfAbsent(item.tower(), 0);
            }
            int qOut = bases.get(ex.query().tower()).outDim();
            int pOut = bases.get(ex.positive().tower()).outDim();
            if (qOut != pOut) {
                throw new InvalidTrainingInputException("example " + i + ": query tower '" + ex.query().tower()
                        + "' embeds into " + qOut + " dimensions but positive tower '" + ex.positive().tower()
                        + "' into " + pOut + "; they cannot be compared");
            }
        }
        List<String> towerNames = List.copyOf(towerIndex.keySet());
        for (int t = 0; t < towerNames.size(); t++) {
            towerIndex.put(towerNames.get(t), t);
        }
        List<String> taskNames = List.copyOf(taskIndex.keySet());
        for (int t = 0; t < taskNames.size(); t++) {
            taskIndex.put(taskNames.get(t), t);
        }

        List<Map<String, Integer>> keyIndex = new ArrayList<>();
        List<List<float[]>> raw = new ArrayList<>();
        for (int t = 0; t < towerNames.size(); t++) {
            keyIndex.add(new HashMap<>());
            raw.add(new ArrayList<>());
        }
        List<IndexedExample> indexed = new ArrayList<>(examples.size());
        for (Example ex : examples) {
            long q = intern(ex.query(), towerIndex, keyIndex, raw);
            long p = intern(ex.positive(), towerIndex, keyIndex, raw);
            long[] negs = new long[ex.negatives().size()];
            for (int n = 0; n < negs.length; n++) {
                negs[n] = intern(ex.negatives().get(n), towerIndex, keyIndex, raw);
            }
            indexed.add(new IndexedExample(taskIndex.get(ex.task()), ex.weight(), q, p, negs));
        }

        List<TowerItems> towerItems = new ArrayList<>();
        for (int t = 0; t < towerNames.size(); t++) {
            String name = towerNames.get(t);
            Projection base = bases.get(name);
            List<float[]> vectors = raw.get(t);
            String[] keys = new String[vectors.size()];
            keyIndex.get(t).forEach((k, v) -> keys[v] = k);
            double[][] features = new double[vectors.size()][];
            double[][] outputs = new double[vectors.size()][];
            double[] wT = new double[base.outDim() * base.inDim()];
            Linalg.transpose(base.weightsOutByIn(), base.outDim(), base.inDim(), wT);
            IntStream.range(0, vectors.size()).parallel().forEach(i -> {
                float[] f = vectors.get(i);
                double[] x = new double[f.length];
                for (int j = 0; j < f.length; j++) {
                    x[j] = f[j];
                }
                double[] u = new double[base.outDim()];
                Linalg.multiplyTransposed(wT, base.outDim(), base.inDim(), x, u);
                features[i] = x;
                outputs[i] = u;
            });
            for (int i = 0; i < outputs.length; i++) {
                if (!(Linalg.sumOfSquares(outputs[i]) > 0)) {
                    throw new InvalidTrainingInputException("item '" + keys[i] + "' of tower '" + name
                            + "' projects to the zero vector (all-zero features?); it has no direction to compare");
                }
            }
            towerItems.add(new TowerItems(name, base.inDim(), base.outDim(), List.of(keys), features, outputs));
        }
        Map<String, Projection> usedBases = new TreeMap<>();
        for (String t : towerNames) {
            usedBases.put(t, bases.get(t));
        }
        return new TrainingSet(towerNames, List.copyOf(towerItems), taskNames, List.copyOf(indexed),
                Collections.unmodifiableMap(usedBases));
    }

    private static List<FeatureItem> items(Example ex) {
        List<FeatureItem> all = new ArrayList<>(2 + ex.negatives().size());
        all.add(ex.query());
        all.add(ex.positive());
        all.addAll(ex.negatives());
        return all;
    }

    private static long intern(FeatureItem item, Map<String, Integer> towerIndex, List<Map<String, Integer>> keyIndex,
                               List<List<float[]>> raw) {
        int t = towerIndex.get(item.tower());
        Map<String, Integer> keys = keyIndex.get(t);
        Integer existing = keys.get(item.key());
        if (existing != null) {
            float[] known = raw.get(t).get(existing);
            if (known != item.features() && !Arrays.equals(known, item.features())) {
                throw new InvalidTrainingInputException("key '" + item.key() + "' of tower '" + item.tower()
                        + "' is used for two different feature vectors; keys must identify an item's content");
            }
            return ref(t, existing);
        }
        int i = raw.get(t).size();
        raw.get(t).add(item.features());
        keys.put(item.key(), i);
        return ref(t, i);
    }

    /** Tower names, sorted; a tower's index is its position here. */
    public List<String> towers() {
        return towers;
    }

    public TowerItems towerItems(int tower) {
        return towerItems.get(tower);
    }

    /** Task names, sorted; a task's index is its position here. */
    public List<String> tasks() {
        return tasks;
    }

    public List<IndexedExample> examples() {
        return examples;
    }

    public int size() {
        return examples.size();
    }

    /** The base projections of the towers this set uses, by tower name. */
    public Map<String, Projection> baseProjections() {
        return baseProjections;
    }
}
