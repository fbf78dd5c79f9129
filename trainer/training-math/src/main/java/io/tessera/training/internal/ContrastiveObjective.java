package io.tessera.training.internal;

import java.util.List;

/**
 * RECIPE's contrastive objective on L2-normalised embeddings, with its exact gradient.
 *
 * <p>For one entry (an anchor {@code a}, its positive {@code p}, candidates {@code N}) with cosine
 * similarities {@code s(·,·)} (dot products of unit vectors) and temperature {@code τ}:
 * <pre>
 *   K     = { n ∈ N : s(p,n) ≤ δ }                        (false-negative filter; K = N when off)
 *   w_n   = exp(β·s(a,n)) / mean_{k∈K} exp(β·s(a,k))      (hardness weights; 1 when off)
 *   L     = −s(a,p)/τ + log( exp(s(a,p)/τ) + Σ_{n∈K} w_n·exp(s(a,n)/τ) )
 * </pre>
 * Both the filter decision and the weights are computed from the current embeddings but treated as
 * constants: no gradient flows through {@code K} or {@code w} (the filter is a step function anyway, and
 * RECIPE/Robinson et al. define the weights as importance weights, not as part of the model).
 * Normalising the weights to mean 1 over the kept negatives keeps the denominator's scale (and therefore the
 * loss and gradient magnitudes) comparable with plain InfoNCE; with {@code β = 0} the loss is exactly InfoNCE.
 * Note what the weights do: {@code w_n·exp(s/τ) = exp(s·(1/τ + β)) / Z}, i.e. the negatives are scored at a
 * sharper temperature than the positive, with a per-anchor constant {@code Z} that carries no gradient.
 *
 * <p>The batch loss is the weighted mean of the entries' losses; with a reverse direction (symmetric loss)
 * it is the mean of the two directions' means. Gradients are with respect to the (normalised) embeddings and
 * to {@code τ}; the caller chains them through the normalisation and the temperature parameterisation.
 */
public final class ContrastiveObjective {

    private ContrastiveObjective() {
    }

    /** The switches of the objective; a switched-off component is exactly absent (not merely neutralised). */
    public record Settings(boolean hardnessWeighting, double beta, boolean falseNegativeFiltering, double delta) {
    }

    /**
     * One anchor scored against its positive and candidates. Indices point into the embedding array; the
     * candidates must not contain the anchor or the positive.
     */
    public record Entry(int anchor, int positive, int[] candidates, double weight) {
    }

    /** What happened to one entry's negatives: which survived the filter and the weights they got. */
    public record EntryDetail(double loss, int[] keptNegatives, double[] weights, int filteredNegatives) {
    }

    public static final class Result {
        public final double loss;
        /** {@code dL/de} for every embedding (rows of unused embeddings are zero). */
        public final double[][] gradEmbeddings;
        /** {@code dL/dτ}. */
        public final double gradTau;
        public final EntryDetail[] forward;
        public final EntryDetail[] reverse;

        Result(double loss, double[][] gradEmbeddings, double gradTau, EntryDetail[] forward, EntryDetail[] reverse) {
            this.loss = loss;
            this.gradEmbeddings = gradEmbeddings;
            this.gradTau = gradTau;
            this.forward = forward;
            this.reverse = reverse;
        }

        public int keptNegatives() {
            return count(forward, true) + count(reverse, true);
        }

        public int filteredNegatives() {
            return count(forward, false) + count(reverse, false);
        }

        private static int count(EntryDetail[] details, boolean kept) {
            int c = 0;
            for (EntryDetail d : details) {
                c += kept ? d.keptNegatives.length : d.filteredNegatives;
            }
            return c;
        }
    }

    /**
     * @param embeddings unit-norm embeddings, all of the same dimension
     * @param forward    the query-to-positive entries (at least one)
     * @param reverse    the positive-to-query entries of the symmetric loss, or empty
     * @param tau        the temperature (already clamped)
     */
    public static Result evaluate(double[][] embeddings, List<Entry> forward, List<Entry> reverse, double tau,
                                  Settings settings) {
        return evaluate(embeddings, forward, reverse, tau, settings, null);
    }

    /**
     * As {@link #evaluate(double[][], List, List, double, Settings)}, but with the kept negatives and their
     * weights taken from {@code frozen} (an earlier result on the same entries) instead of being recomputed.
     * This is the function whose derivative the analytic gradient is (weights and filter are constants), so
     * finite-difference checks perturb parameters with them frozen.
     */
    public static Result evaluate(double[][] embeddings, List<Entry> forward, List<Entry> reverse, double tau,
                                  Settings settings, Result frozen) {
        if (forward.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one entry");
        }
        double[][] grad = new double[embeddings.length][];
        int dim = embeddings[0].length;
        for (int i = 0; i < grad.length; i++) {
            grad[i] = new double[dim];
        }
        int directions = reverse.isEmpty() ? 1 : 2;
        double[] acc = new double[2]; // loss, dL/dτ
        EntryDetail[] fwd = direction(embeddings, forward, tau, settings, 1.0 / directions, grad, acc,
                frozen == null ? null : frozen.forward);
        EntryDetail[] rev = reverse.isEmpty() ? new EntryDetail[0]
                : direction(embeddings, reverse, tau, settings, 1.0 / directions, grad, acc,
                frozen == null ? null : frozen.reverse);
        return new Result(acc[0], grad, acc[1], fwd, rev);
    }

    private static EntryDetail[] direction(double[][] emb, List<Entry> entries, double tau, Settings settings,
                                           double directionScale, double[][] grad, double[] acc, EntryDetail[] frozen) {
        if (frozen != null && frozen.length != entries.size()) {
            throw new IllegalArgumentException("frozen details are for " + frozen.length + " entries, not " + entries.size());
        }
        double totalWeight = 0;
        for (Entry e : entries) {
            totalWeight += e.weight();
        }
        EntryDetail[] details = new EntryDetail[entries.size()];
        for (int idx = 0; idx < entries.size(); idx++) {
            Entry e = entries.get(idx);
            double scale = directionScale * e.weight() / totalWeight;
            details[idx] = entry(emb, e, tau, settings, scale, grad, acc, frozen == null ? null : frozen[idx]);
        }
        return details;
    }

    private static EntryDetail entry(double[][] emb, Entry e, double tau, Settings settings, double scale,
                                     double[][] grad, double[] acc, EntryDetail frozen) {
        double[] a = emb[e.anchor()];
        double[] p = emb[e.positive()];
        int[] cands = e.candidates();
        if (frozen != null) {
            return scored(emb, e, tau, scale, grad, acc, frozen.keptNegatives(), logOf(frozen.weights()),
                    frozen.filteredNegatives());
        }

        int[] kept = new int[cands.length];
        double[] sim = new double[cands.length];
        int keptCount = 0;
        for (int c : cands) {
            if (settings.falseNegativeFiltering() && Linalg.dot(p, emb[c]) > settings.delta()) {
                continue;
            }
            kept[keptCount] = c;
            sim[keptCount] = Linalg.dot(a, emb[c]);
            keptCount++;
        }
        int filtered = cands.length - keptCount;
        kept = java.util.Arrays.copyOf(kept, keptCount);
        sim = java.util.Arrays.copyOf(sim, keptCount);

        // log w_n, normalised so that mean_n w_n = 1: log w_n = β s_n − (logsumexp_k β s_k − log|K|).
        double[] logW = new double[keptCount];
        if (settings.hardnessWeighting() && keptCount > 0) {
            double m = Double.NEGATIVE_INFINITY;
            for (int n = 0; n < keptCount; n++) {
                m = Math.max(m, settings.beta() * sim[n]);
            }
            double sum = 0;
            for (int n = 0; n < keptCount; n++) {
                sum += Math.exp(settings.beta() * sim[n] - m);
            }
            double logMean = m + Math.log(sum) - Math.log(keptCount);
            for (int n = 0; n < keptCount; n++) {
                logW[n] = settings.beta() * sim[n] - logMean;
            }
        }

        return scored(emb, e, tau, scale, grad, acc, kept, logW, filtered);
    }

    private static double[] logOf(double[] w) {
        double[] out = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = Math.log(w[i]);
        }
        return out;
    }

    /** The loss and gradient of one entry given its kept negatives and their (constant) log-weights. */
    private static EntryDetail scored(double[][] emb, Entry e, double tau, double scale, double[][] grad, double[] acc,
                                      int[] kept, double[] logW, int filtered) {
        double[] a = emb[e.anchor()];
        double[] p = emb[e.positive()];
        int keptCount = kept.length;
        double[] sim = new double[keptCount];
        for (int n = 0; n < keptCount; n++) {
            sim[n] = Linalg.dot(a, emb[kept[n]]);
        }
        double sPos = Linalg.dot(a, p);
        double z0 = sPos / tau;
        double max = z0;
        for (int n = 0; n < keptCount; n++) {
            max = Math.max(max, sim[n] / tau + logW[n]);
        }
        double denom = Math.exp(z0 - max);
        double[] pi = new double[keptCount];
        for (int n = 0; n < keptCount; n++) {
            pi[n] = Math.exp(sim[n] / tau + logW[n] - max);
            denom += pi[n];
        }
        double pi0 = Math.exp(z0 - max) / denom;
        double loss = -z0 + max + Math.log(denom);

        // dL/dz0 = π0 − 1, dL/dz_n = π_n; z = s/τ, so dL/ds = dL/dz / τ and dL/dτ = −Σ dL/dz · z / τ.
        double g0 = (pi0 - 1.0) * scale;
        double gTau = -g0 * z0;
        addOuter(grad, e.anchor(), p, g0 / tau);
        addOuter(grad, e.positive(), a, g0 / tau);
        double[] weights = new double[keptCount];
        for (int n = 0; n < keptCount; n++) {
            pi[n] /= denom;
            weights[n] = Math.exp(logW[n]);
            double gn = pi[n] * scale;
            gTau -= gn * sim[n] / tau;
            addOuter(grad, e.anchor(), emb[kept[n]], gn / tau);
            addOuter(grad, kept[n], a, gn / tau);
        }
        acc[0] += scale * loss;
        acc[1] += gTau / tau;
        return new EntryDetail(loss, kept, weights, filtered);
    }

    private static void addOuter(double[][] grad, int row, double[] other, double coefficient) {
        Linalg.axpy(coefficient, other, grad[row], other.length);
    }
}
