package io.tessera.bench.training;

import io.tessera.training.Projection;
import io.tessera.training.RetrievalEvaluator;
import io.tessera.training.RetrievalMetrics;
import io.tessera.training.RetrievalReport;
import io.tessera.training.SoupIngredient;
import io.tessera.training.SoupMode;
import io.tessera.training.SoupResult;
import io.tessera.training.Souper;
import io.tessera.training.Trainer;
import io.tessera.training.TrainingConfig;
import io.tessera.training.TrainingRun;
import io.tessera.training.TrainingSet;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The ablation of issue 7 on any {@link AblationDataset}, in the manner of RzenEmbed's Tables 3 and 4: the
 * recipe's components added one at a time to plain InfoNCE (each row averaged over several seeds), then
 * ingredient runs of the full recipe (different seeds and task mixes) against their uniform and greedy soups,
 * each soup both by averaging the merged updates and by averaging the LoRA factors.
 */
public final class Ablation {

    /** One ingredient run of the full recipe. */
    public record IngredientSpec(String runId, long seed, Map<String, Double> taskMix) {
    }

    /**
     * @param seeds     seeds of every component row (the row reports their mean and standard deviation)
     * @param betaGrid  candidate β of the hardness weighting, chosen on validation (first seed) when the row is added;
     *                  empty = the recipe's β
     * @param deltaGrid candidate δ of the false-negative filter, chosen the same way; empty = the recipe's δ
     */
    public record Options(TrainingConfig recipe, List<Long> seeds, List<IngredientSpec> ingredients,
                          boolean componentsAlone, List<Double> betaGrid, List<Double> deltaGrid) {
    }

    /**
     * A table row: test (and validation) reports of one or more runs.
     *
     * @param filteredShare share of candidate negatives the false-negative filter dropped over the runs' steps
     */
    public record Row(String name, List<RetrievalReport> test, List<RetrievalReport> validation, double seconds,
                      double filteredShare) {
    }

    public record Result(String description, List<String> tasks, Row base, List<Row> components, List<Row> soups,
                         List<SoupResult> soupResults) {
    }

    private Ablation() {
    }

    public static Result run(AblationDataset data, Options options, PrintStream progress) {
        long t0 = System.nanoTime();
        TrainingSet set = TrainingSet.prepare(data.training(), data.baseProjections());
        progress.printf(Locale.ROOT, "prepared %d examples in %.1f s%n", set.size(), (System.nanoTime() - t0) / 1e9);
        Map<String, Projection> base = data.baseProjections();
        Row baseRow = new Row("base projection (no training)", List.of(RetrievalEvaluator.evaluate(data.test(), base)),
                List.of(RetrievalEvaluator.evaluate(data.validation(), base)), 0, 0);
        List<String> tasks = new ArrayList<>(baseRow.test.get(0).byTask().keySet());

        TrainingConfig recipe = options.recipe();
        TrainingConfig plain = recipe.toBuilder().hardnessWeighting(false).falseNegativeFiltering(false)
                .learnableTemperature(false).build();
        List<Row> rows = new ArrayList<>();
        rows.add(component("plain InfoNCE", set, data, plain, options.seeds(), progress));
        TrainingConfig hw = plain.toBuilder().hardnessWeighting(true).build();
        if (!options.betaGrid().isEmpty()) {
            hw = tune("β", set, data, options.betaGrid(), b -> plain.toBuilder().hardnessWeighting(true).beta(b).build(),
                    options.seeds().get(0), progress);
        }
        rows.add(component(String.format(Locale.ROOT, "+ hardness weighting (β=%s)", fmt(hw.beta())), set, data, hw,
                options.seeds(), progress));
        TrainingConfig fn = hw.toBuilder().falseNegativeFiltering(true).build();
        if (!options.deltaGrid().isEmpty()) {
            TrainingConfig withHw = hw;
            fn = tune("δ", set, data, options.deltaGrid(),
                    d -> withHw.toBuilder().falseNegativeFiltering(true).delta(d).build(), options.seeds().get(0), progress);
        }
        rows.add(component(String.format(Locale.ROOT, "+ false-negative filtering (δ=%s)", fmt(fn.delta())), set, data,
                fn, options.seeds(), progress));
        TrainingConfig full = fn.toBuilder().learnableTemperature(true).build();
        rows.add(component("+ learnable per-task temperature (full recipe)", set, data, full, options.seeds(), progress));
        if (options.componentsAlone()) {
            rows.add(component("plain + false-negative filtering only", set, data,
                    plain.toBuilder().falseNegativeFiltering(true).delta(fn.delta()).build(), options.seeds(), progress));
            rows.add(component("plain + learnable temperature only", set, data,
                    plain.toBuilder().learnableTemperature(true).build(), options.seeds(), progress));
        }

        List<Row> soupRows = new ArrayList<>();
        List<SoupResult> soups = new ArrayList<>();
        if (!options.ingredients().isEmpty()) {
            List<SoupIngredient> ingredients = new ArrayList<>();
            List<Row> ingredientRows = new ArrayList<>();
            for (IngredientSpec spec : options.ingredients()) {
                TrainingConfig cfg = full.toBuilder().seed(spec.seed()).taskMix(spec.taskMix()).build();
                long s = System.nanoTime();
                TrainingRun run = Trainer.train(set, cfg, spec.runId(), (r, n) -> { });
                Map<String, Projection> merged = run.mergedProjections(base);
                Row row = new Row("ingredient " + spec.runId() + " (seed " + spec.seed() + ", mix " + spec.taskMix() + ")",
                        List.of(RetrievalEvaluator.evaluate(data.test(), merged)),
                        List.of(RetrievalEvaluator.evaluate(data.validation(), merged)), (System.nanoTime() - s) / 1e9,
                        filteredShare(List.of(run)));
                progress.printf(Locale.ROOT, "  %s: val %.4f test %.4f (%.1f s)%n", row.name, row.validation.get(0).meanRecallAt1(),
                        row.test.get(0).meanRecallAt1(), row.seconds);
                ingredients.add(SoupIngredient.of(run));
                ingredientRows.add(row);
            }
            soupRows.addAll(ingredientRows);
            Row best = ingredientRows.stream()
                    .max(Comparator.comparingDouble(r -> r.validation.get(0).meanRecallAt1())).orElseThrow();
            soupRows.add(new Row("best single ingredient (by validation): " + best.name.substring("ingredient ".length(),
                    best.name.indexOf(' ', "ingredient ".length())), best.test, best.validation, best.seconds,
                    best.filteredShare));
            Souper souper = new Souper(base, data.validation());
            for (SoupMode mode : SoupMode.values()) {
                for (String method : List.of("uniform", "greedy")) {
                    long s = System.nanoTime();
                    SoupResult soup = method.equals("uniform") ? souper.uniform(ingredients, mode)
                            : souper.greedy(ingredients, mode);
                    String kept = soup.recipe().stream().filter(SoupResult.Entry::included)
                            .map(SoupResult.Entry::runId).toList().toString();
                    Row row = new Row(method + " soup, " + label(mode) + (method.equals("greedy") ? " " + kept : ""),
                            List.of(RetrievalEvaluator.evaluate(data.test(), soup.projections())),
                            List.of(soup.metrics()), (System.nanoTime() - s) / 1e9, Double.NaN);
                    progress.printf(Locale.ROOT, "  %s: val %.4f test %.4f%n", row.name, soup.score(),
                            row.test.get(0).meanRecallAt1());
                    soupRows.add(row);
                    soups.add(soup);
                }
            }
        }
        return new Result(data.description(), tasks, baseRow, rows, soupRows, soups);
    }

    private static double filteredShare(List<TrainingRun> runs) {
        long filtered = 0;
        long total = 0;
        for (TrainingRun run : runs) {
            for (var step : run.history()) {
                filtered += step.filteredNegatives();
                total += step.filteredNegatives() + step.keptNegatives();
            }
        }
        return total == 0 ? 0 : (double) filtered / total;
    }

    /** The candidate config with the best validation score (one run each, with {@code seed}). */
    private static TrainingConfig tune(String what, TrainingSet set, AblationDataset data, List<Double> grid,
                                       java.util.function.DoubleFunction<TrainingConfig> config, long seed,
                                       PrintStream progress) {
        TrainingConfig best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (double v : grid) {
            TrainingConfig c = config.apply(v).toBuilder().seed(seed).build();
            TrainingRun run = Trainer.train(set, c);
            double score = RetrievalEvaluator.evaluate(data.validation(), run.mergedProjections(data.baseProjections()))
                    .meanRecallAt1();
            progress.printf(Locale.ROOT, "  tuning %s=%s: validation mean R@1 %.4f%n", what, fmt(v), score);
            if (score > bestScore) {
                bestScore = score;
                best = c;
            }
        }
        return best;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static String label(SoupMode mode) {
        return mode == SoupMode.AVERAGE_DELTAS ? "average of merged ΔW=(α/r)BA" : "average of A and B separately";
    }

    private static Row component(String name, TrainingSet set, AblationDataset data, TrainingConfig config,
                                 List<Long> seeds, PrintStream progress) {
        List<RetrievalReport> test = new ArrayList<>();
        List<RetrievalReport> val = new ArrayList<>();
        List<TrainingRun> runs = new ArrayList<>();
        long s = System.nanoTime();
        for (long seed : seeds) {
            TrainingRun run = Trainer.train(set, config.toBuilder().seed(seed).build());
            runs.add(run);
            Map<String, Projection> merged = run.mergedProjections(data.baseProjections());
            test.add(RetrievalEvaluator.evaluate(data.test(), merged));
            val.add(RetrievalEvaluator.evaluate(data.validation(), merged));
        }
        Row row = new Row(name, test, val, (System.nanoTime() - s) / 1e9 / seeds.size(), filteredShare(runs));
        progress.printf(Locale.ROOT, "  %s: test mean R@1 %s (%.1f s/run)%n", name,
                meanSd(test, RetrievalReport::meanRecallAt1), row.seconds);
        return row;
    }

    /** The table as Markdown: recall@1 on the test split per task and direction, mean ± sd over seeds. */
    public static String toMarkdown(Result result) {
        StringBuilder sb = new StringBuilder();
        sb.append("Data: ").append(result.description()).append("\n\n");
        sb.append("| Setting |");
        for (String task : result.tasks()) {
            String[] ends = task.split("->");
            String reverse = ends.length == 2 ? ends[1] + "->" + ends[0] : "reverse " + task;
            sb.append(' ').append(task).append(" R@1 | ").append(reverse).append(" R@1 |");
        }
        sb.append(" mean R@1 (test) | Δ test vs plain (paired by seed) | mean R@1 (val) | negatives filtered | s/run |\n|---|");
        sb.append("---|".repeat(2 * result.tasks().size() + 5)).append('\n');
        appendRow(sb, result.base(), result.tasks(), null);
        Row plain = result.components().isEmpty() ? null : result.components().get(0);
        for (Row r : result.components()) {
            appendRow(sb, r, result.tasks(), r == plain ? null : plain);
        }
        if (!result.soups().isEmpty()) {
            sb.append("\n| Soup (full recipe ingredients) |");
            for (String task : result.tasks()) {
                String[] ends = task.split("->");
                String reverse = ends.length == 2 ? ends[1] + "->" + ends[0] : "reverse " + task;
                sb.append(' ').append(task).append(" R@1 | ").append(reverse).append(" R@1 |");
            }
            sb.append(" mean R@1 (test) | Δ test vs best single | mean R@1 (val) | negatives filtered | s |\n|---|");
            sb.append("---|".repeat(2 * result.tasks().size() + 5)).append('\n');
            Row best = result.soups().stream().filter(r -> r.name().startsWith("best single")).findFirst().orElse(null);
            for (Row r : result.soups()) {
                appendRow(sb, r, result.tasks(), r.name().contains("soup") ? best : null);
            }
        }
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, Row row, List<String> tasks, Row reference) {
        sb.append("| ").append(row.name()).append(" |");
        for (String task : tasks) {
            sb.append(' ').append(meanSd(row.test(), r -> at1(r, task, true))).append(" |");
            sb.append(' ').append(meanSd(row.test(), r -> at1(r, task, false))).append(" |");
        }
        sb.append(' ').append(meanSd(row.test(), RetrievalReport::meanRecallAt1)).append(" |");
        sb.append(' ').append(reference == null ? "" : pairedDifference(row, reference)).append(" |");
        sb.append(' ').append(meanSd(row.validation(), RetrievalReport::meanRecallAt1)).append(" |");
        sb.append(Double.isNaN(row.filteredShare()) ? " – |"
                : String.format(Locale.ROOT, " %.2f%% |", 100 * row.filteredShare()));
        sb.append(String.format(Locale.ROOT, " %.1f |%n", row.seconds()));
    }

    private static double at1(RetrievalReport r, String task, boolean forward) {
        RetrievalMetrics m = r.byTask().get(task);
        return forward ? m.queryToCandidate().at1() : m.candidateToQuery().at1();
    }

    /**
     * Mean ± sd of the per-seed differences of mean test recall@1 (component rows are trained on the same seeds,
     * so pairing removes the seed-to-seed spread); against a single-run reference, the plain difference.
     */
    private static String pairedDifference(Row row, Row reference) {
        int n = row.test().size();
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            RetrievalReport ref = reference.test().get(reference.test().size() == 1 ? 0 : i);
            d[i] = row.test().get(i).meanRecallAt1() - ref.meanRecallAt1();
        }
        double mean = java.util.Arrays.stream(d).average().orElse(Double.NaN);
        if (n < 2) {
            return String.format(Locale.ROOT, "%+.1f", 100 * mean);
        }
        double var = java.util.Arrays.stream(d).map(x -> (x - mean) * (x - mean)).sum() / (n - 1);
        return String.format(Locale.ROOT, "%+.1f ± %.1f", 100 * mean, 100 * Math.sqrt(var));
    }

    static String meanSd(List<RetrievalReport> reports, java.util.function.ToDoubleFunction<RetrievalReport> f) {
        double[] v = reports.stream().mapToDouble(f).toArray();
        double mean = java.util.Arrays.stream(v).average().orElse(Double.NaN);
        if (v.length < 2) {
            return String.format(Locale.ROOT, "%.1f", 100 * mean);
        }
        double var = java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (v.length - 1);
        return String.format(Locale.ROOT, "%.1f ± %.1f", 100 * mean, 100 * Math.sqrt(var));
    }

    /** For callers that want to vary the recipe per dataset without rebuilding {@link Options}. */
    public static Options withRecipe(Options options, UnaryOperator<TrainingConfig> change) {
        return new Options(change.apply(options.recipe()), options.seeds(), options.ingredients(),
                options.componentsAlone(), options.betaGrid(), options.deltaGrid());
    }
}
