package io.tessera.training;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SouperTest {

    private static LoraAdapter randomAdapter(SplittableRandom random, int out, int in, int rank, double alpha) {
        double[] a = new double[rank * in];
        double[] b = new double[out * rank];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = random.nextGaussian();
        }
        return new LoraAdapter(out, in, rank, alpha, a, b);
    }

    @Test
    void aUniformSoupOfIdenticalIngredientsIsThatIngredient() {
        SplittableRandom random = new SplittableRandom(1);
        Map<String, LoraAdapter> adapters = Map.of("text", randomAdapter(random, 4, 6, 2, 3.0),
                "image", randomAdapter(random, 4, 5, 2, 3.0));
        List<SoupIngredient> same = List.of(new SoupIngredient("a", adapters), new SoupIngredient("b", adapters),
                new SoupIngredient("c", adapters));
        for (SoupMode mode : SoupMode.values()) {
            Map<String, LoraAdapter> soup = Souper.combine(same, mode);
            for (String tower : adapters.keySet()) {
                assertArrayEquals(adapters.get(tower).delta(), soup.get(tower).delta(), 1e-12, mode + " " + tower);
            }
        }
    }

    @Test
    void averagingDeltasIsTheMeanOfTheProductsAndFactorAveragingIsNot() {
        SplittableRandom random = new SplittableRandom(2);
        LoraAdapter x = randomAdapter(random, 4, 6, 2, 3.0);
        LoraAdapter y = randomAdapter(random, 4, 6, 2, 3.0);
        List<SoupIngredient> two = List.of(new SoupIngredient("x", Map.of("t", x)), new SoupIngredient("y", Map.of("t", y)));
        double[] expected = x.delta();
        double[] dy = y.delta();
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (expected[i] + dy[i]) / 2;
        }
        LoraAdapter deltas = Souper.combine(two, SoupMode.AVERAGE_DELTAS).get("t");
        assertArrayEquals(expected, deltas.delta(), 1e-12);
        assertEquals(4, deltas.rank(), "stacked factors: rank r1 + r2");
        LoraAdapter factors = Souper.combine(two, SoupMode.AVERAGE_FACTORS).get("t");
        assertEquals(2, factors.rank());
        double diff = 0;
        double[] df = factors.delta();
        for (int i = 0; i < df.length; i++) {
            diff = Math.max(diff, Math.abs(df[i] - expected[i]));
        }
        assertTrue(diff > 0.1, "mean(B)·mean(A) differs from mean(B·A) for unrelated factors");
    }

    @Test
    void factorAveragingRefusesMismatchedRanks() {
        SplittableRandom random = new SplittableRandom(3);
        List<SoupIngredient> mixed = List.of(new SoupIngredient("x", Map.of("t", randomAdapter(random, 4, 6, 2, 2))),
                new SoupIngredient("y", Map.of("t", randomAdapter(random, 4, 6, 3, 2))));
        assertThrows(InvalidTrainingInputException.class, () -> Souper.combine(mixed, SoupMode.AVERAGE_FACTORS));
        assertEquals(5, Souper.combine(mixed, SoupMode.AVERAGE_DELTAS).get("t").rank());
    }

    @Test
    void greedySoupIsNeverWorseThanItsBestIngredientOnItsValidationSets() {
        SyntheticDataset data = new SyntheticDataset(SmallProblem.spec(9));
        TrainingSet set = TrainingSet.prepare(data.training(), data.baseProjections());
        List<SoupIngredient> ingredients = new ArrayList<>();
        // Deliberately uneven ingredients: one barely trained, one with a bad learning rate.
        ingredients.add(SoupIngredient.of(Trainer.train(set, SmallProblem.config().seed(1).build(), "good", (s, n) -> { })));
        ingredients.add(SoupIngredient.of(Trainer.train(set, SmallProblem.config().seed(2).epochs(1).build(), "short", (s, n) -> { })));
        ingredients.add(SoupIngredient.of(Trainer.train(set, SmallProblem.config().seed(3).learningRate(0.2).build(), "hot", (s, n) -> { })));
        ingredients.add(SoupIngredient.of(Trainer.train(set, SmallProblem.config().seed(4).build(), "good2", (s, n) -> { })));
        Souper souper = new Souper(data.baseProjections(), data.validation());
        for (SoupMode mode : SoupMode.values()) {
            SoupResult greedy = souper.greedy(ingredients, mode);
            double best = greedy.recipe().stream().mapToDouble(SoupResult.Entry::score).max().orElseThrow();
            assertTrue(greedy.score() >= best, mode + ": greedy " + greedy.score() + " < best ingredient " + best);
            assertEquals(greedy.recipe().get(0).score(), best, "ingredients are listed best first");
            assertTrue(greedy.recipe().get(0).included());
            double weights = greedy.recipe().stream().mapToDouble(SoupResult.Entry::weight).sum();
            assertEquals(1.0, weights, 1e-12);
            // the shipped projections are what was scored
            assertEquals(greedy.score(), RetrievalEvaluator.evaluate(data.validation(), greedy.projections())
                    .meanRecallAt1(), 1e-12);
        }
        SoupResult uniform = souper.uniform(ingredients, SoupMode.AVERAGE_DELTAS);
        assertEquals(4, uniform.recipe().stream().filter(SoupResult.Entry::included).count());
        uniform.recipe().forEach(e -> assertEquals(0.25, e.weight(), 1e-15));
    }

    @Test
    void closestToBaseShrinksTheUpdateOnlyAsFarAsTheToleranceAllows() {
        SyntheticDataset data = new SyntheticDataset(SmallProblem.spec(9));
        TrainingSet set = TrainingSet.prepare(data.training(), data.baseProjections());
        List<SoupIngredient> ingredients = List.of(
                SoupIngredient.of(Trainer.train(set, SmallProblem.config().seed(1).build(), "a", (s, n) -> { })),
                SoupIngredient.of(Trainer.train(set, SmallProblem.config().seed(2).build(), "b", (s, n) -> { })));
        Souper souper = new Souper(data.baseProjections(), data.validation());
        SoupResult full = souper.uniform(ingredients, SoupMode.AVERAGE_DELTAS);
        double baseScore = RetrievalEvaluator.evaluate(data.validation(), data.baseProjections()).meanRecallAt1();
        assertTrue(full.score() > baseScore + 0.05, "the fixture must learn something: " + baseScore + " -> " + full.score());

        // No tolerance: only a factor that scores as well as the full update may replace it.
        SoupResult strict = souper.closestToBase(full, 0);
        assertTrue(strict.score() >= full.score(), strict.method() + " " + strict.score() + " < " + full.score());
        // Any tolerance: the smallest factor within it, and what is shipped is what was scored.
        SoupResult loose = souper.closestToBase(full, 1.0);
        assertEquals(full.method() + " x0.25", loose.method());
        assertEquals(loose.score(), RetrievalEvaluator.evaluate(data.validation(), loose.projections()).meanRecallAt1(),
                1e-12);
        double[] fullDelta = full.adapters().values().iterator().next().delta();
        double[] looseDelta = loose.adapters().values().iterator().next().delta();
        assertEquals(0.25 * fullDelta[0], looseDelta[0], 1e-12);
        assertThrows(InvalidTrainingInputException.class, () -> souper.closestToBase(full, -0.1));
    }
}
