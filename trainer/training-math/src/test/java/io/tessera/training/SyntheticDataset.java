package io.tessera.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A synthetic multi-attribute retrieval problem with the shape of Tessera's demo data: items are
 * combinations of categorical attributes (colour, shape, material, size…); a text tower describes a
 * combination, an image and a video tower show one. Each tower's features are a tower-specific linear mixing
 * of the attributes' one-hots (scaled by salience: weak attributes are the fine-grained ones) plus per-instance
 * nuisance ("style") and isotropic noise. The base projections are a pretrained model's: aligned on the shared
 * attribute space but with the weak attributes under-weighted and a random component on top.
 *
 * <p>Attribute combinations are split into train / validation / test; validation and test combinations never
 * occur in training (not even as negatives), so recall there measures compositional generalisation. Curated
 * negatives differ from the positive in exactly one attribute; a fraction of them are false negatives (another
 * instance of the positive's own combination, as a miner would produce), and a fraction of pairs reuse an
 * already-used positive item (two captions of one image). Fully determined by {@link Spec}.
 *
 * <p>A test fixture, not production code: this module's tests train on it, and the synthetic ablation
 * (tessera-bench, which takes it from this module's test jar) runs on it.
 */
public final class SyntheticDataset {

    public static final String TEXT = "text";
    public static final String IMAGE = "image";
    public static final String VIDEO = "video";
    public static final String TEXT_TO_IMAGE = "text->image";
    public static final String TEXT_TO_VIDEO = "text->video";

    /**
     * @param attributeSizes       values per attribute
     * @param salience             per attribute, the norm of its signal in the features
     * @param baseAttributeGain    per attribute, how strongly the base projection sees it (pretraining bias)
     * @param baseNoise            norm ratio of the base projection's random component to its aligned one
     * @param textDim              text feature dimension
     * @param imageDim             image feature dimension
     * @param videoDim             video feature dimension
     * @param embeddingDim         {@code d_out} of every tower
     * @param nuisanceRank         dimension of the per-instance nuisance subspace
     * @param nuisance             per tower (text, image, video): norm of the nuisance component
     * @param noise                per tower (text, image, video): norm of the isotropic noise
     * @param pairsPerCombo        training pairs per training combination and task
     * @param negativesPerPair     curated negatives per pair
     * @param falseNegativeRate    probability that a curated negative is another instance of the positive's combination
     * @param duplicatePositiveRate probability that a pair reuses an earlier positive item of the same combination
     * @param validationFraction   fraction of combinations held out for validation
     * @param testFraction         fraction held out for test
     * @param galleryPerCombo      validation/test: candidates and queries per combination
     */
    public record Spec(long seed, int[] attributeSizes, double[] salience, double[] baseAttributeGain,
                       double baseNoise, int textDim, int imageDim, int videoDim, int embeddingDim, int nuisanceRank,
                       double[] nuisance, double[] noise, int pairsPerCombo, int negativesPerPair,
                       double falseNegativeRate, double duplicatePositiveRate, double validationFraction,
                       double testFraction, int galleryPerCombo) {

        /** The default problem of the synthetic ablation (about 3,000 training pairs). */
        public static Spec standard(long seed) {
            return new Spec(seed, new int[] {6, 6, 5, 4}, new double[] {1.0, 0.8, 0.6, 0.45},
                    new double[] {1.0, 0.6, 0.2, 0.1}, 2.0, 384, 512, 512, 128, 24,
                    new double[] {2.0, 3.0, 4.0}, new double[] {1.0, 1.5, 2.0}, 3, 3, 0.2, 0.1, 0.15, 0.15, 2);
        }
    }

    private final Spec spec;
    private final Map<String, Projection> base;
    private final List<Example> training;
    private final List<ValidationSet> validation;
    private final List<ValidationSet> test;
    private final int trainCombos;

    private final SplittableRandom random;
    private final Map<String, Tower> towers = new LinkedHashMap<>();
    private final Map<String, String> combinationOfKey = new HashMap<>();
    private int nextKey;

    /** One tower's feature generator. */
    private record Tower(String name, int dim, double[][] signal, double[][] nuisanceBasis, double nuisance,
                         double noise) {
    }

    public SyntheticDataset(Spec spec) {
        this.spec = spec;
        this.random = new SplittableRandom(spec.seed());
        int latent = Arrays.stream(spec.attributeSizes()).sum();
        double[][] shared = gaussian(spec.embeddingDim(), latent, 1.0 / Math.sqrt(spec.embeddingDim()));
        int[] dims = {spec.textDim(), spec.imageDim(), spec.videoDim()};
        String[] names = {TEXT, IMAGE, VIDEO};
        Map<String, Projection> bases = new LinkedHashMap<>();
        for (int t = 0; t < 3; t++) {
            double[][] basis = orthonormalColumns(dims[t], latent + spec.nuisanceRank());
            double[][] signal = columns(basis, 0, latent);
            double[][] nuis = columns(basis, latent, latent + spec.nuisanceRank());
            towers.put(names[t], new Tower(names[t], dims[t], signal, nuis, spec.nuisance()[t], spec.noise()[t]));
            bases.put(names[t], baseProjection(shared, signal, dims[t]));
        }
        this.base = Collections.unmodifiableMap(bases);

        List<int[]> combos = allCombos(spec.attributeSizes());
        List<int[]> shuffled = new ArrayList<>(combos);
        shuffle(shuffled);
        int nVal = (int) Math.round(spec.validationFraction() * combos.size());
        int nTest = (int) Math.round(spec.testFraction() * combos.size());
        List<int[]> valCombos = shuffled.subList(0, nVal);
        List<int[]> testCombos = shuffled.subList(nVal, nVal + nTest);
        List<int[]> trainComboList = shuffled.subList(nVal + nTest, shuffled.size());
        this.trainCombos = trainComboList.size();
        Map<String, int[]> trainIndex = new HashMap<>();
        for (int[] c : trainComboList) {
            trainIndex.put(Arrays.toString(c), c);
        }

        List<Example> examples = new ArrayList<>();
        for (String task : List.of(TEXT_TO_IMAGE, TEXT_TO_VIDEO)) {
            String target = task.equals(TEXT_TO_IMAGE) ? IMAGE : VIDEO;
            Map<String, List<FeatureItem>> usedPositives = new HashMap<>();
            for (int[] combo : trainComboList) {
                String comboKey = Arrays.toString(combo);
                for (int p = 0; p < spec.pairsPerCombo(); p++) {
                    FeatureItem query = item(TEXT, combo);
                    List<FeatureItem> earlier = usedPositives.computeIfAbsent(comboKey, k -> new ArrayList<>());
                    FeatureItem positive = !earlier.isEmpty() && random.nextDouble() < spec.duplicatePositiveRate()
                            ? earlier.get(random.nextInt(earlier.size()))
                            : item(target, combo);
                    earlier.add(positive);
                    List<FeatureItem> negatives = new ArrayList<>();
                    for (int n = 0; n < spec.negativesPerPair(); n++) {
                        if (random.nextDouble() < spec.falseNegativeRate()) {
                            negatives.add(item(target, combo));
                            continue;
                        }
                        int[] neighbour = oneAttributeAway(combo, trainIndex);
                        if (neighbour != null) {
                            negatives.add(item(target, neighbour));
                        }
                    }
                    examples.add(new Example(task, query, positive, negatives));
                }
            }
        }
        this.training = List.copyOf(examples);
        this.validation = evaluationSets(valCombos, "val");
        this.test = evaluationSets(testCombos, "test");
    }

    private List<ValidationSet> evaluationSets(List<int[]> combos, String split) {
        List<ValidationSet> sets = new ArrayList<>();
        for (String task : List.of(TEXT_TO_IMAGE, TEXT_TO_VIDEO)) {
            String target = task.equals(TEXT_TO_IMAGE) ? IMAGE : VIDEO;
            List<ValidationSet.Pair> pairs = new ArrayList<>();
            for (int[] combo : combos) {
                String group = split + Arrays.toString(combo);
                List<FeatureItem> queries = new ArrayList<>();
                List<FeatureItem> cands = new ArrayList<>();
                for (int i = 0; i < spec.galleryPerCombo(); i++) {
                    queries.add(item(TEXT, combo));
                    cands.add(item(target, combo));
                }
                for (FeatureItem q : queries) {
                    for (FeatureItem c : cands) {
                        pairs.add(new ValidationSet.Pair(q, c, group));
                    }
                }
            }
            sets.add(ValidationSet.of(task, pairs));
        }
        return List.copyOf(sets);
    }

    /** A fresh instance of {@code combo} in {@code tower}: signal + nuisance + noise. */
    private FeatureItem item(String towerName, int[] combo) {
        Tower t = towers.get(towerName);
        double[] f = new double[t.dim];
        int offset = 0;
        for (int a = 0; a < combo.length; a++) {
            double[] col = t.signal[offset + combo[a]];
            for (int i = 0; i < t.dim; i++) {
                f[i] += spec.salience()[a] * col[i];
            }
            offset += spec.attributeSizes()[a];
        }
        double nuisanceScale = t.nuisance / Math.sqrt(spec.nuisanceRank());
        for (double[] col : t.nuisanceBasis) {
            double c = nuisanceScale * random.nextGaussian();
            for (int i = 0; i < t.dim; i++) {
                f[i] += c * col[i];
            }
        }
        double noiseScale = t.noise / Math.sqrt(t.dim);
        float[] out = new float[t.dim];
        for (int i = 0; i < t.dim; i++) {
            out[i] = (float) (f[i] + noiseScale * random.nextGaussian());
        }
        String key = towerName + "/" + (nextKey++);
        combinationOfKey.put(key, Arrays.toString(combo));
        return new FeatureItem(towerName, key, out);
    }

    private int[] oneAttributeAway(int[] combo, Map<String, int[]> allowed) {
        for (int attempt = 0; attempt < 20; attempt++) {
            int a = random.nextInt(combo.length);
            int size = spec.attributeSizes()[a];
            int v = (combo[a] + 1 + random.nextInt(size - 1)) % size;
            int[] other = combo.clone();
            other[a] = v;
            int[] known = allowed.get(Arrays.toString(other));
            if (known != null) {
                return known;
            }
        }
        return null;
    }

    /**
     * {@code W0 = P·G·Sᵀ + R}: {@code Sᵀ} reads the attribute coordinates out of the features, {@code G}
     * scales them by the base model's per-attribute gain, {@code P} maps them into the shared embedding space,
     * and {@code R} is a random matrix ({@code baseNoise} times as strong) standing for what pretraining got wrong.
     */
    private Projection baseProjection(double[][] shared, double[][] signal, int dim) {
        int out = spec.embeddingDim();
        double[] w = new double[out * dim];
        int offset = 0;
        for (int a = 0; a < spec.attributeSizes().length; a++) {
            for (int v = 0; v < spec.attributeSizes()[a]; v++) {
                int l = offset + v;
                double gain = spec.baseAttributeGain()[a];
                for (int o = 0; o < out; o++) {
                    double c = gain * shared[o][l];
                    for (int i = 0; i < dim; i++) {
                        w[o * dim + i] += c * signal[l][i];
                    }
                }
            }
            offset += spec.attributeSizes()[a];
        }
        double alignedNorm = Math.sqrt(Arrays.stream(w).map(x -> x * x).sum());
        double[] r = new double[w.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = random.nextGaussian();
        }
        double rNorm = Math.sqrt(Arrays.stream(r).map(x -> x * x).sum());
        float[] data = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            data[i] = (float) (w[i] + spec.baseNoise() * alignedNorm / rNorm * r[i]);
        }
        return Projection.fromRowMajor(data, out, dim, Orientation.OUT_BY_IN);
    }

    private double[][] gaussian(int rows, int cols, double scale) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = scale * random.nextGaussian();
            }
        }
        return m;
    }

    /** {@code count} orthonormal vectors of length {@code dim} (Gram–Schmidt on Gaussian vectors). */
    private double[][] orthonormalColumns(int dim, int count) {
        double[][] cols = new double[count][];
        for (int c = 0; c < count; c++) {
            double[] v = new double[dim];
            for (int i = 0; i < dim; i++) {
                v[i] = random.nextGaussian();
            }
            for (int p = 0; p < c; p++) {
                double d = 0;
                for (int i = 0; i < dim; i++) {
                    d += v[i] * cols[p][i];
                }
                for (int i = 0; i < dim; i++) {
                    v[i] -= d * cols[p][i];
                }
            }
            double n = Math.sqrt(Arrays.stream(v).map(x -> x * x).sum());
            for (int i = 0; i < dim; i++) {
                v[i] /= n;
            }
            cols[c] = v;
        }
        return cols;
    }

    private static double[][] columns(double[][] cols, int from, int to) {
        return Arrays.copyOfRange(cols, from, to);
    }

    private static List<int[]> allCombos(int[] sizes) {
        List<int[]> out = new ArrayList<>();
        int[] c = new int[sizes.length];
        while (true) {
            out.add(c.clone());
            int a = sizes.length - 1;
            while (a >= 0 && ++c[a] == sizes[a]) {
                c[a] = 0;
                a--;
            }
            if (a < 0) {
                return out;
            }
        }
    }

    private <T> void shuffle(List<T> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, random.nextInt(i + 1));
        }
    }

    /** The attribute combination an item shows, e.g. {@code "[2, 0, 4, 1]"} (for analysis, e.g. of false negatives). */
    public String combination(FeatureItem item) {
        String c = combinationOfKey.get(item.key());
        if (c == null) {
            throw new IllegalArgumentException("item '" + item.key() + "' is not from this dataset");
        }
        return c;
    }

    public String description() {
        return String.format("synthetic: attributes %s (salience %s), %d train / %d val / %d test combinations, "
                        + "%d training pairs, towers text %d / image %d / video %d -> %d, %d curated negatives per pair "
                        + "(%.0f%% false), %.0f%% reused positives, seed %d",
                Arrays.toString(spec.attributeSizes()), Arrays.toString(spec.salience()), trainCombos,
                validation.get(0).queries().size() / spec.galleryPerCombo(),
                test.get(0).queries().size() / spec.galleryPerCombo(), training.size(), spec.textDim(),
                spec.imageDim(), spec.videoDim(), spec.embeddingDim(), spec.negativesPerPair(),
                100 * spec.falseNegativeRate(), 100 * spec.duplicatePositiveRate(), spec.seed());
    }

    public Map<String, Projection> baseProjections() {
        return base;
    }

    public List<Example> training() {
        return training;
    }

    public List<ValidationSet> validation() {
        return validation;
    }

    public List<ValidationSet> test() {
        return test;
    }
}
