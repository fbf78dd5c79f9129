package io.tessera.training.internal;

import io.tessera.training.Example;
import io.tessera.training.FeatureItem;
import io.tessera.training.Fixtures;
import io.tessera.training.Projection;
import io.tessera.training.TrainingSet;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The analytic gradients of the whole batch loss (LoRA factors of both towers through the L2 normalisation,
 * and the temperature logit) against central finite differences, in double precision, with hardness
 * weighting and false-negative filtering active. The numeric derivative is taken with the hardness weights
 * and the filter decisions frozen, because the objective defines them as constants (stop-gradient).
 */
class GradientCheckTest {

    private static final double H = 1e-6;

    @Test
    void loraAndTemperatureGradientsMatchFiniteDifferencesWithHardnessAndFilteringActive() {
        Problem pr = problem(11, false, 0.3);
        assertTrue(pr.filteredAtStart() > 0, "the filter must drop some negatives for this check to mean anything");
        assertTrue(pr.keptAtStart() > 0);
        checkAll(pr);
    }

    @Test
    void symmetricLossGradientsMatchFiniteDifferences() {
        checkAll(problem(12, true, 0.3));
    }

    @Test
    void sameTowerTaskGradientsMatchFiniteDifferences() {
        // text -> text: query, positive and negatives all go through one tower, so its gradient has three sources.
        SplittableRandom random = new SplittableRandom(5);
        Map<String, Projection> base = Map.of("text", Fixtures.randomProjection(random, 4, 6));
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            examples.add(new Example("paraphrase",
                    new FeatureItem("text", "q" + i, Fixtures.randomFeatures(random, 6)),
                    new FeatureItem("text", "p" + i, Fixtures.randomFeatures(random, 6)),
                    List.of(new FeatureItem("text", "n" + i, Fixtures.randomFeatures(random, 6)))));
        }
        checkAll(new Problem(TrainingSet.prepare(examples, base), 3, 2.0, 0.2, false, 13));
    }

    @Test
    void clampedTemperatureGetsNoGradientAndInRangeOneDoes() {
        Problem pr = problem(13, false, 0.3);
        double inside = pr.gradients(Math.log(0.1)).gradTheta();
        assertTrue(Math.abs(inside) > 1e-6, "an unclamped temperature must get a gradient, got " + inside);
        assertEquals(0.0, pr.gradients(Math.log(5.0)).gradTheta(), "above τ_max");
        assertEquals(0.0, pr.gradients(Math.log(0.001)).gradTheta(), "below τ_min");
        assertEquals(0.5, Temperature.tau(Math.log(5.0), 0.01, 0.5), 1e-15);
        assertEquals(0.01, Temperature.tau(Math.log(0.001), 0.01, 0.5), 1e-15);
    }

    private static void checkAll(Problem pr) {
        LoraTower[] towers = pr.towers;
        BatchLoss.Outcome analytic = pr.gradients(pr.theta);
        // The weights and the filter are constants of the loss (no gradient through them), so the function to
        // differentiate numerically is the loss with them frozen at this point.
        pr.frozen = analytic.detail();
        // Copy every analytic gradient first: each finite-difference evaluation recomputes them.
        double[][] gradA = new double[towers.length][];
        double[][] gradB = new double[towers.length][];
        for (int t = 0; t < towers.length; t++) {
            gradA[t] = towers[t].gradA.clone();
            gradB[t] = towers[t].gradB.clone();
        }
        double worst = 0;
        for (int t = 0; t < towers.length; t++) {
            worst = Math.max(worst, compare(pr, towers[t].a, gradA[t], "A of tower " + t));
            worst = Math.max(worst, compare(pr, towers[t].b, gradB[t], "B of tower " + t));
        }
        double numTheta = (pr.loss(pr.theta + H) - pr.loss(pr.theta - H)) / (2 * H);
        assertEquals(numTheta, analytic.gradTheta(), 1e-7 + 1e-6 * Math.abs(numTheta), "dL/dθ");
        assertTrue(Math.abs(numTheta) > 1e-6, "θ gradient should be non-trivial here");
        assertTrue(worst < 1e-6, "worst relative error " + worst);
    }

    /** Max relative error over all entries of one parameter array. */
    private static double compare(Problem pr, double[] params, double[] analytic, String what) {
        double worst = 0;
        double scale = 0;
        for (double g : analytic) {
            scale = Math.max(scale, Math.abs(g));
        }
        assertTrue(scale > 1e-8, what + " has an all-zero gradient; the check would be vacuous");
        for (int i = 0; i < params.length; i++) {
            double keep = params[i];
            params[i] = keep + H;
            double plus = pr.loss(pr.theta);
            params[i] = keep - H;
            double minus = pr.loss(pr.theta);
            params[i] = keep;
            double numeric = (plus - minus) / (2 * H);
            double err = Math.abs(numeric - analytic[i]) / (Math.abs(numeric) + scale * 1e-3 + 1e-12);
            assertTrue(err < 1e-5, what + "[" + i + "]: analytic " + analytic[i] + ", numeric " + numeric);
            worst = Math.max(worst, err);
        }
        return worst;
    }

    private static Problem problem(long seed, boolean symmetric, double delta) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Projection> base = Fixtures.twoTowers(random, 7, 5, 4);
        List<Example> examples = Fixtures.textToImage(random, "t", 6, 2, 7, 5);
        return new Problem(TrainingSet.prepare(examples, base), 2, 3.0, delta, symmetric, seed);
    }

    static final class Problem {
        final TrainingSet set;
        final LoraTower[] towers;
        final BatchLoss.Options options;
        final int[] batch;
        final double theta = Math.log(0.2);
        ContrastiveObjective.Result frozen;

        Problem(TrainingSet set, int rank, double beta, double delta, boolean symmetric, long seed) {
            this.set = set;
            SplittableRandom random = new SplittableRandom(seed);
            towers = new LoraTower[set.towers().size()];
            for (int t = 0; t < towers.length; t++) {
                TrainingSet.TowerItems items = set.towerItems(t);
                towers[t] = new LoraTower(items.outDim, items.inDim, rank, 4.0);
                towers[t].initialise(random);
                // B = 0 at the LoRA start would make dL/dA vanish and hide errors in it: start from a trained-looking B.
                for (int i = 0; i < towers[t].b.length; i++) {
                    towers[t].b[i] = 0.3 * random.nextGaussian();
                }
            }
            options = new BatchLoss.Options(new ContrastiveObjective.Settings(true, beta, true, delta), symmetric,
                    true, true, 0.01, 1.0);
            batch = new int[set.size()];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = i;
            }
        }

        BatchLoss.Outcome gradients(double th) {
            for (LoraTower t : towers) {
                t.zeroGrad();
            }
            return BatchLoss.compute(set, towers, th, batch, options, frozen);
        }

        double loss(double th) {
            return gradients(th).loss();
        }

        int filteredAtStart() {
            return gradients(theta).detail().filteredNegatives();
        }

        int keptAtStart() {
            return gradients(theta).detail().keptNegatives();
        }
    }
}
