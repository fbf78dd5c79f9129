package io.tessera.trainer.round;

import io.tessera.training.Example;
import io.tessera.training.Projection;
import io.tessera.training.RetrievalEvaluator;
import io.tessera.training.RetrievalReport;
import io.tessera.training.SoupIngredient;
import io.tessera.training.SoupMode;
import io.tessera.training.SoupResult;
import io.tessera.training.Souper;
import io.tessera.training.StepRecord;
import io.tessera.training.Trainer;
import io.tessera.training.TrainingConfig;
import io.tessera.training.TrainingRun;
import io.tessera.training.TrainingSet;
import io.tessera.training.ValidationSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One training round as a plain function of its inputs (no Kafka, no files): K ingredient runs of the recipe with
 * different seeds and task mixes, their uniform and greedy soups (merged updates averaged, see training-math's
 * README), the chosen soup merged into the projections, and the gate's verdict on validation. Deterministic for
 * equal inputs and settings.
 */
public final class RoundRunner {

    /** Which soup a round ships. */
    public enum SoupChoice {
        /** The better of the uniform and the greedy soup on validation (greedy on a tie: it is never below its best ingredient). */
        BEST,
        UNIFORM,
        GREEDY
    }

    /**
     * @param recipe      the training configuration of every ingredient (seed and task mix are overridden per ingredient)
     * @param ingredients K, the number of ingredient runs
     * @param soup        which soup to ship
     * @param seed        the round's seed; ingredient k uses {@code seed + k}
     * @param gate        the promotion gate
     */
    /** @param shrinkTolerance see {@link Souper#closestToBase}: the validation score a smaller update may give up */
    public record Settings(TrainingConfig recipe, int ingredients, SoupChoice soup, double shrinkTolerance, long seed,
                           Gate gate) {
        public Settings {
            Objects.requireNonNull(recipe, "recipe");
            Objects.requireNonNull(soup, "soup");
            Objects.requireNonNull(gate, "gate");
            if (ingredients < 1) {
                throw new IllegalArgumentException("tessera.trainer.soup.ingredients must be >= 1, got " + ingredients);
            }
        }
    }

    /** Progress callbacks, on the round's thread. */
    public interface Listener {
        default void phase(String phase) { }

        default void step(int ingredient, int ingredients, StepRecord step, int totalSteps) { }
    }

    public record Ingredient(String runId, long seed, Map<String, Double> taskMix, TrainingRun run,
                             RetrievalReport validation) {
    }

    /**
     * @param before    the current model on validation
     * @param chosen    the soup shipped; {@code chosen.projections()} are the candidate's projections
     * @param decision  the gate's verdict, candidate vs current
     */
    public record Result(Map<String, Projection> base, RetrievalReport before, List<Ingredient> ingredients,
                         SoupResult uniform, SoupResult greedy, SoupResult chosen, Gate.Decision decision,
                         long trainingMillis, long soupMillis) {

        public RetrievalReport after() {
            return chosen.metrics();
        }

        /** Mean over ingredients of their last epoch's mean batch loss. */
        public double finalLoss() {
            return ingredients.stream().mapToDouble(i -> i.run().meanLoss(lastEpoch(i.run()))).average().orElse(Double.NaN);
        }

        /** Mean over ingredients of their first epoch's mean batch loss. */
        public double firstLoss() {
            return ingredients.stream().mapToDouble(i -> i.run().meanLoss(0)).average().orElse(Double.NaN);
        }

        private static int lastEpoch(TrainingRun run) {
            return run.history().isEmpty() ? 0 : run.history().get(run.history().size() - 1).epoch();
        }
    }

    private RoundRunner() {
    }

    public static Result run(List<Example> training, List<ValidationSet> validation, Map<String, Projection> base,
                             Settings settings, Listener listener) {
        if (training.isEmpty()) {
            throw new IllegalArgumentException("a round needs training pairs");
        }
        if (validation.isEmpty()) {
            throw new IllegalArgumentException("a round needs validation pairs to gate its candidate");
        }
        listener.phase("evaluating current model");
        RetrievalReport before = RetrievalEvaluator.evaluate(validation, base);
        listener.phase("preparing training set");
        TrainingSet set = TrainingSet.prepare(training, base);
        List<Map<String, Double>> mixes = taskMixes(set.tasks(), settings.ingredients());
        List<Ingredient> ingredients = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int k = 0; k < settings.ingredients(); k++) {
            long seed = settings.seed() + k;
            String runId = "ingredient-" + (k + 1) + "-seed" + seed;
            TrainingConfig cfg = settings.recipe().toBuilder().seed(seed).taskMix(mixes.get(k)).build();
            int index = k;
            listener.phase("training " + runId);
            TrainingRun run = Trainer.train(set, cfg, runId,
                    (step, total) -> listener.step(index, settings.ingredients(), step, total));
            RetrievalReport metrics = RetrievalEvaluator.evaluate(validation, run.mergedProjections(base));
            ingredients.add(new Ingredient(runId, seed, mixes.get(k), run, metrics));
        }
        long trainingMillis = (System.nanoTime() - t0) / 1_000_000;
        listener.phase("souping");
        long t1 = System.nanoTime();
        Souper souper = new Souper(base, validation);
        List<SoupIngredient> parts = ingredients.stream().map(i -> SoupIngredient.of(i.run())).toList();
        SoupResult uniform = souper.uniform(parts, SoupMode.AVERAGE_DELTAS);
        SoupResult greedy = souper.greedy(parts, SoupMode.AVERAGE_DELTAS);
        SoupResult full = switch (settings.soup()) {
            case UNIFORM -> uniform;
            case GREEDY -> greedy;
            case BEST -> uniform.score() > greedy.score() ? uniform : greedy;
        };
        SoupResult chosen = souper.closestToBase(full, settings.shrinkTolerance());
        long soupMillis = (System.nanoTime() - t1) / 1_000_000;
        Gate.Decision decision = settings.gate().decide(before, chosen.metrics());
        return new Result(Map.copyOf(base), before, List.copyOf(ingredients), uniform, greedy, chosen, decision,
                trainingMillis, soupMillis);
    }

    /**
     * K task mixes: the first samples every task once per epoch; each next one leans on one task in turn (1.5x) and
     * takes the difference from the others, so every mix sees the same number of examples per epoch and the
     * ingredients differ in what they emphasise (RzenEmbed's "different data mixes").
     */
    public static List<Map<String, Double>> taskMixes(List<String> tasks, int k) {
        List<String> sorted = new ArrayList<>(new TreeSet<>(tasks));
        List<Map<String, Double>> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            Map<String, Double> mix = new TreeMap<>();
            if (i > 0 && sorted.size() > 1) {
                String lean = sorted.get((i - 1) % sorted.size());
                double rest = (sorted.size() - 1.5) / (sorted.size() - 1);
                for (String t : sorted) {
                    mix.put(t, t.equals(lean) ? 1.5 : rest);
                }
            }
            out.add(mix);
        }
        return out;
    }
}
