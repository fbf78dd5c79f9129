package io.tessera.training.internal;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContrastiveObjectiveTest {

    private static final double TAU = 0.1;

    /** Unit vector in the plane at angle {@code degrees} from the x axis. */
    private static double[] at(double degrees) {
        double r = Math.toRadians(degrees);
        return new double[] {Math.cos(r), Math.sin(r), 0};
    }

    // 0: query, 1: positive (both at 0°, s(q,p) = 1 would be trivial, so the query is tilted), 2..5: candidates.
    private static final double[][] EMB = {
            at(10),   // 0 query
            at(0),    // 1 positive
            at(5),    // 2 near-duplicate of the positive: s(p,n) = cos 5° ≈ 0.996 → a false negative
            at(40),   // 3 s(p,n) = cos 40° ≈ 0.766
            at(-30),  // 4 s(p,n) = cos 30° ≈ 0.866, but s(q,n) = cos 40°
            at(120),  // 5 easy negative
    };
    private static final ContrastiveObjective.Entry ENTRY =
            new ContrastiveObjective.Entry(0, 1, new int[] {2, 3, 4, 5}, 1.0);

    @Test
    void falseNegativeFilterDropsExactlyTheNegativesTooSimilarToThePositive() {
        var settings = new ContrastiveObjective.Settings(false, 0, true, 0.85);
        var r = ContrastiveObjective.evaluate(EMB, List.of(ENTRY), List.of(), TAU, settings);
        // Candidate 4 is similar to the positive (0.866 > 0.85) although less similar to the query than 3 is.
        assertArrayEquals(new int[] {3, 5}, r.forward[0].keptNegatives());
        assertEquals(2, r.forward[0].filteredNegatives());
        assertEquals(2, r.filteredNegatives());
        assertEquals(manualLoss(new int[] {3, 5}, new double[] {1, 1}), r.loss, 1e-12);

        var loose = ContrastiveObjective.evaluate(EMB, List.of(ENTRY), List.of(), TAU,
                new ContrastiveObjective.Settings(false, 0, true, 0.9));
        assertArrayEquals(new int[] {3, 4, 5}, loose.forward[0].keptNegatives(), "δ = 0.9 keeps the 0.866 one");
    }

    @Test
    void filteredNegativesGetNoGradient() {
        var r = ContrastiveObjective.evaluate(EMB, List.of(ENTRY), List.of(), TAU,
                new ContrastiveObjective.Settings(false, 0, true, 0.85));
        assertArrayEquals(new double[3], r.gradEmbeddings[2]);
        assertArrayEquals(new double[3], r.gradEmbeddings[4]);
        assertTrue(Arrays.stream(r.gradEmbeddings[3]).anyMatch(v -> v != 0));
    }

    @Test
    void withoutFilteringEveryCandidateIsANegative() {
        var r = ContrastiveObjective.evaluate(EMB, List.of(ENTRY), List.of(), TAU,
                new ContrastiveObjective.Settings(false, 0, false, 0.0));
        assertArrayEquals(new int[] {2, 3, 4, 5}, r.forward[0].keptNegatives());
        assertEquals(manualLoss(new int[] {2, 3, 4, 5}, new double[] {1, 1, 1, 1}), r.loss, 1e-12);
    }

    @Test
    void hardnessWeightsAreExpBetaSimilarityNormalisedToMeanOneOverTheKeptNegatives() {
        double beta = 4.0;
        var r = ContrastiveObjective.evaluate(EMB, List.of(ENTRY), List.of(), TAU,
                new ContrastiveObjective.Settings(true, beta, true, 0.85));
        int[] kept = r.forward[0].keptNegatives();
        double[] w = r.forward[0].weights();
        assertEquals(1.0, Arrays.stream(w).average().orElseThrow(), 1e-12);
        double raw3 = Math.exp(beta * dot(EMB[0], EMB[3]));
        double raw5 = Math.exp(beta * dot(EMB[0], EMB[5]));
        assertEquals(raw3 / raw5, w[0] / w[1], 1e-9, "weights are proportional to exp(β·s(q,n))");
        assertTrue(w[0] > 1 && w[1] < 1, "the harder negative gets the larger weight");
        assertEquals(manualLoss(kept, w), r.loss, 1e-12);
    }

    @Test
    void zeroBetaOrDisabledWeightingIsPlainInfoNce() {
        var plain = ContrastiveObjective.evaluate(EMB, List.of(ENTRY), List.of(), TAU,
                new ContrastiveObjective.Settings(false, 7, false, 0));
        var zeroBeta = ContrastiveObjective.evaluate(EMB, List.of(ENTRY), List.of(), TAU,
                new ContrastiveObjective.Settings(true, 0, false, 0));
        assertEquals(plain.loss, zeroBeta.loss, 1e-12);
        assertArrayEquals(new double[] {1, 1, 1, 1}, plain.forward[0].weights());
        assertArrayEquals(new double[] {1, 1, 1, 1}, zeroBeta.forward[0].weights(), 1e-12);
    }

    @Test
    void batchLossIsTheWeightedMeanOfEntriesAndSymmetricAveragesDirections() {
        var s = new ContrastiveObjective.Settings(false, 0, false, 0);
        var e2 = new ContrastiveObjective.Entry(3, 4, new int[] {2, 5}, 3.0);
        var one = ContrastiveObjective.evaluate(EMB, List.of(ENTRY), List.of(), TAU, s);
        var two = ContrastiveObjective.evaluate(EMB, List.of(e2), List.of(), TAU, s);
        var both = ContrastiveObjective.evaluate(EMB, List.of(ENTRY, e2), List.of(), TAU, s);
        assertEquals((1 * one.loss + 3 * two.loss) / 4, both.loss, 1e-12);
        var sym = ContrastiveObjective.evaluate(EMB, List.of(ENTRY), List.of(e2), TAU, s);
        assertEquals((one.loss + two.loss) / 2, sym.loss, 1e-12);
    }

    @Test
    void anEntryWithAllNegativesFilteredHasZeroLossAndGradient() {
        var e = new ContrastiveObjective.Entry(0, 1, new int[] {2}, 1.0);
        var r = ContrastiveObjective.evaluate(EMB, List.of(e), List.of(), TAU,
                new ContrastiveObjective.Settings(true, 3, true, 0.9));
        assertEquals(0.0, r.loss, 1e-15);
        assertEquals(0.0, r.gradTau, 1e-15);
        for (double[] g : r.gradEmbeddings) {
            for (double v : g) {
                assertEquals(0.0, v, 1e-15);
            }
        }
    }

    /** −log(exp(s_qp/τ) / (exp(s_qp/τ) + Σ w_n exp(s_qn/τ))) computed the naive way. */
    private static double manualLoss(int[] kept, double[] w) {
        double pos = Math.exp(dot(EMB[0], EMB[1]) / TAU);
        double denom = pos;
        for (int i = 0; i < kept.length; i++) {
            denom += w[i] * Math.exp(dot(EMB[0], EMB[kept[i]]) / TAU);
        }
        return -Math.log(pos / denom);
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }
}
