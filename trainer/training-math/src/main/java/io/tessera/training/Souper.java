package io.tessera.training;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * Combines ingredient adapters into one and merges it into the base projections: uniform averaging, and
 * greedy souping (Wortsman et al. 2022): rank the ingredients by their own validation score, start from the
 * best, and add each next one only if the uniform average of the kept ones does not score lower. The greedy
 * soup therefore never scores below its best ingredient on the validation sets it was chosen with.
 */
public final class Souper {

    private final Map<String, Projection> base;
    private final List<ValidationSet> validation;
    private final ToDoubleFunction<RetrievalReport> score;

    /**
     * @param score the validation score to maximise, e.g. {@link RetrievalReport#meanRecallAt1()}
     */
    public Souper(Map<String, Projection> base, List<ValidationSet> validation, ToDoubleFunction<RetrievalReport> score) {
        if (base == null || base.isEmpty()) {
            throw new InvalidTrainingInputException("souping needs the base projections");
        }
        if (validation == null || validation.isEmpty()) {
            throw new InvalidTrainingInputException("souping needs at least one validation set");
        }
        this.base = Map.copyOf(base);
        this.validation = List.copyOf(validation);
        this.score = score;
    }

    public Souper(Map<String, Projection> base, List<ValidationSet> validation) {
        this(base, validation, RetrievalReport::meanRecallAt1);
    }

    public SoupResult uniform(List<SoupIngredient> ingredients, SoupMode mode) {
        requireIngredients(ingredients);
        List<Scored> scored = scoreEach(ingredients);
        Map<String, LoraAdapter> soup = combine(ingredients, mode);
        RetrievalReport metrics = evaluate(soup);
        List<SoupResult.Entry> recipe = new ArrayList<>();
        for (Scored s : scored) {
            recipe.add(new SoupResult.Entry(s.ingredient.runId(), 1.0 / ingredients.size(), true, s.metrics, s.score));
        }
        return new SoupResult("uniform", mode, merge(soup), soup, recipe, metrics, score.applyAsDouble(metrics));
    }

    public SoupResult greedy(List<SoupIngredient> ingredients, SoupMode mode) {
        requireIngredients(ingredients);
        List<Scored> ranked = new ArrayList<>(scoreEach(ingredients));
        // Stable sort: equal scores keep the caller's order, so the result is deterministic.
        ranked.sort(Comparator.comparingDouble((Scored s) -> s.score).reversed());
        List<SoupIngredient> kept = new ArrayList<>(List.of(ranked.get(0).ingredient));
        boolean[] included = new boolean[ranked.size()];
        included[0] = true;
        Map<String, LoraAdapter> soup = ranked.get(0).ingredient.adapters();
        RetrievalReport soupMetrics = ranked.get(0).metrics;
        double soupScore = ranked.get(0).score;
        for (int i = 1; i < ranked.size(); i++) {
            List<SoupIngredient> trial = new ArrayList<>(kept);
            trial.add(ranked.get(i).ingredient);
            Map<String, LoraAdapter> trialSoup = combine(trial, mode);
            RetrievalReport trialMetrics = evaluate(trialSoup);
            double trialScore = score.applyAsDouble(trialMetrics);
            if (trialScore >= soupScore) {
                kept = trial;
                included[i] = true;
                soup = trialSoup;
                soupMetrics = trialMetrics;
                soupScore = trialScore;
            }
        }
        List<SoupResult.Entry> recipe = new ArrayList<>();
        for (int i = 0; i < ranked.size(); i++) {
            Scored s = ranked.get(i);
            recipe.add(new SoupResult.Entry(s.ingredient.runId(), included[i] ? 1.0 / kept.size() : 0.0, included[i],
                    s.metrics, s.score));
        }
        return new SoupResult("greedy", mode, merge(soup), soup, recipe, soupMetrics, soupScore);
    }

    /** The validation metrics of {@code base + adapters}. */
    public RetrievalReport evaluate(Map<String, LoraAdapter> adapters) {
        return RetrievalEvaluator.evaluate(validation, merge(adapters));
    }

    /** {@code base + ΔW} for every tower with an adapter. */
    public Map<String, Projection> merge(Map<String, LoraAdapter> adapters) {
        Map<String, Projection> out = new TreeMap<>(base);
        adapters.forEach((tower, adapter) -> {
            Projection p = base.get(tower);
            if (p == null) {
                throw new InvalidTrainingInputException("no base projection for tower '" + tower + "' of a soup");
            }
            out.put(tower, adapter.mergeInto(p));
        });
        return out;
    }

    /** The fractions of a soup's update {@link #closestToBase} tries, smallest first. */
    static final double[] SHRINK_FACTORS = {0.25, 0.5, 0.75};

    /**
     * The soup's update scaled down as far as the validation sets allow: the smallest factor of
     * {@link #SHRINK_FACTORS} whose score is at least the full update's minus {@code tolerance}, else the soup as it
     * is. Weight-space interpolation between the base and the fine-tuned model (WiSE-FT, Wortsman et al. 2022): the
     * curated pairs cover a narrow domain, and the full update also moves everything they do not cover (on the demo,
     * text queries for real photos lose them to the generated shapes), while part of the way keeps most of the gain.
     */
    public SoupResult closestToBase(SoupResult soup, double tolerance) {
        if (!(tolerance >= 0)) {
            throw new InvalidTrainingInputException("the shrink tolerance must be >= 0, got " + tolerance);
        }
        for (double factor : SHRINK_FACTORS) {
            Map<String, LoraAdapter> scaled = new TreeMap<>();
            soup.adapters().forEach((tower, adapter) -> scaled.put(tower, adapter.scaled(factor)));
            RetrievalReport metrics = evaluate(scaled);
            double scaledScore = score.applyAsDouble(metrics);
            if (scaledScore >= soup.score() - tolerance) {
                return new SoupResult(soup.method() + " x" + factor, soup.mode(), merge(scaled), scaled, soup.recipe(),
                        metrics, scaledScore);
            }
        }
        return soup;
    }

    /** The uniform average of {@code ingredients}' adapters, per tower, in the given mode. */
    public static Map<String, LoraAdapter> combine(List<SoupIngredient> ingredients, SoupMode mode) {
        requireIngredients(ingredients);
        TreeSet<String> towers = new TreeSet<>();
        for (SoupIngredient ing : ingredients) {
            towers.addAll(ing.adapters().keySet());
        }
        Map<String, LoraAdapter> out = new TreeMap<>();
        double w = 1.0 / ingredients.size();
        for (String tower : towers) {
            List<LoraAdapter> parts = new ArrayList<>();
            for (SoupIngredient ing : ingredients) {
                LoraAdapter a = ing.adapters().get(tower);
                if (a == null) {
                    if (mode == SoupMode.AVERAGE_FACTORS) {
                        throw new InvalidTrainingInputException("ingredient '" + ing.runId() + "' has no adapter for tower '"
                                + tower + "'; factor averaging needs the same towers in every ingredient");
                    }
                    continue; // a missing adapter is a zero update: it still counts in the average's denominator
                }
                parts.add(a);
            }
            out.put(tower, mode == SoupMode.AVERAGE_DELTAS ? stacked(parts, w, tower) : averagedFactors(parts, w, tower,
                    ingredients));
        }
        return out;
    }

    /**
     * {@code Σ_k w·(α_k/r_k)·B_k·A_k} written as one adapter: {@code A = [A_1; …; A_K]}, {@code B = [w·s_1·B_1, …]}
     * with {@code α = r = Σ r_k} (scale 1), which is exactly the weighted average of the merged updates.
     */
    private static LoraAdapter stacked(List<LoraAdapter> parts, double w, String tower) {
        int outDim = parts.get(0).outDim();
        int inDim = parts.get(0).inDim();
        int rank = 0;
        for (LoraAdapter p : parts) {
            if (p.outDim() != outDim || p.inDim() != inDim) {
                throw new InvalidTrainingInputException("adapters of tower '" + tower + "' differ in shape: "
                        + outDim + "x" + inDim + " and " + p.outDim() + "x" + p.inDim());
            }
            rank += p.rank();
        }
        double[] a = new double[rank * inDim];
        double[] b = new double[outDim * rank];
        int k0 = 0;
        for (LoraAdapter p : parts) {
            System.arraycopy(p.a(), 0, a, k0 * inDim, p.rank() * inDim);
            double c = w * p.scale();
            double[] pb = p.b();
            for (int o = 0; o < outDim; o++) {
                for (int k = 0; k < p.rank(); k++) {
                    b[o * rank + k0 + k] = c * pb[o * p.rank() + k];
                }
            }
            k0 += p.rank();
        }
        return new LoraAdapter(outDim, inDim, rank, rank, a, b);
    }

    private static LoraAdapter averagedFactors(List<LoraAdapter> parts, double w, String tower,
                                               List<SoupIngredient> ingredients) {
        LoraAdapter first = parts.get(0);
        double[] a = new double[first.a().length];
        double[] b = new double[first.b().length];
        for (int i = 0; i < parts.size(); i++) {
            LoraAdapter p = parts.get(i);
            if (p.rank() != first.rank() || p.alpha() != first.alpha() || p.outDim() != first.outDim()
                    || p.inDim() != first.inDim()) {
                throw new InvalidTrainingInputException("factor averaging needs equal shapes, rank and alpha; tower '"
                        + tower + "' of '" + ingredients.get(i).runId() + "' is " + p + ", of '"
                        + ingredients.get(0).runId() + "' " + first);
            }
            io.tessera.training.internal.Linalg.axpy(w, p.a(), a, a.length);
            io.tessera.training.internal.Linalg.axpy(w, p.b(), b, b.length);
        }
        return new LoraAdapter(first.outDim(), first.inDim(), first.rank(), first.alpha(), a, b);
    }

    private record Scored(SoupIngredient ingredient, RetrievalReport metrics, double score) {
    }

    private List<Scored> scoreEach(List<SoupIngredient> ingredients) {
        List<Scored> out = new ArrayList<>();
        for (SoupIngredient ing : ingredients) {
            RetrievalReport m = evaluate(ing.adapters());
            out.add(new Scored(ing, m, score.applyAsDouble(m)));
        }
        return out;
    }

    private static void requireIngredients(List<SoupIngredient> ingredients) {
        if (ingredients == null || ingredients.isEmpty()) {
            throw new InvalidTrainingInputException("a soup needs at least one ingredient");
        }
    }
}
