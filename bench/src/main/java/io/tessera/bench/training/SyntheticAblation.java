package io.tessera.bench.training;

import io.tessera.training.SyntheticDataset;
import io.tessera.training.TrainingConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the ablation on the synthetic problem and prints the table (a dress rehearsal for issue 7's ablation
 * on the demo dataset). Arguments, all optional: {@code --data-seed N}, {@code --seeds a,b,c} (seeds of each
 * component row), {@code --ingredients K}, {@code --epochs N}, {@code --rank R}, {@code --beta b1,b2,…} and
 * {@code --delta d1,d2,…} (grids chosen from on validation), {@code --lr X}, {@code --alone} (also each component
 * alone on top of plain InfoNCE).
 */
public final class SyntheticAblation {

    private SyntheticAblation() {
    }

    public static void main(String[] args) {
        long dataSeed = 7;
        List<Long> seeds = List.of(1L, 2L, 3L, 4L, 5L);
        int ingredients = 4;
        boolean alone = false;
        List<Double> betas = List.of(1.0, 3.0, 10.0);
        List<Double> deltas = List.of(0.7, 0.8, 0.9);
        TrainingConfig.Builder recipe = TrainingConfig.builder();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-seed" -> dataSeed = Long.parseLong(args[++i]);
                case "--seeds" -> {
                    List<Long> s = new ArrayList<>();
                    for (String v : args[++i].split(",")) {
                        s.add(Long.parseLong(v.trim()));
                    }
                    seeds = s;
                }
                case "--ingredients" -> ingredients = Integer.parseInt(args[++i]);
                case "--epochs" -> recipe.epochs(Integer.parseInt(args[++i]));
                case "--rank" -> recipe.loraRank(Integer.parseInt(args[++i]));
                case "--beta" -> betas = doubles(args[++i]);
                case "--delta" -> deltas = doubles(args[++i]);
                case "--lr" -> recipe.learningRate(Double.parseDouble(args[++i]));
                case "--alone" -> alone = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; see the class javadoc");
            }
        }
        long t0 = System.nanoTime();
        SyntheticDataset data = new SyntheticDataset(SyntheticDataset.Spec.standard(dataSeed));
        System.out.printf(Locale.ROOT, "generated in %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, data.description());
        TrainingConfig config = recipe.build();
        System.out.println("recipe: " + config);
        Ablation.Result result = Ablation.run(AblationDataset.of(data),
                new Ablation.Options(config, seeds, ingredientSpecs(ingredients), alone, betas, deltas), System.out);
        System.out.println();
        System.out.println(Ablation.toMarkdown(result));
        System.out.printf(Locale.ROOT, "total %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    private static List<Double> doubles(String csv) {
        List<Double> out = new ArrayList<>();
        for (String v : csv.split(",")) {
            out.add(Double.parseDouble(v.trim()));
        }
        return out;
    }

    /**
     * K ingredient runs: different seeds, and task mixes that lean towards one task or the other. Every mix
     * keeps the total number of examples per epoch (weights sum to 2), so no ingredient simply trains longer.
     */
    static List<Ablation.IngredientSpec> ingredientSpecs(int k) {
        List<Map<String, Double>> mixes = List.of(
                Map.of(),
                Map.of(SyntheticDataset.TEXT_TO_IMAGE, 1.5, SyntheticDataset.TEXT_TO_VIDEO, 0.5),
                Map.of(SyntheticDataset.TEXT_TO_IMAGE, 0.5, SyntheticDataset.TEXT_TO_VIDEO, 1.5),
                Map.of());
        List<Ablation.IngredientSpec> specs = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            specs.add(new Ablation.IngredientSpec("mix" + (i + 1), 100 + i, mixes.get(i % mixes.size())));
        }
        return specs;
    }
}
