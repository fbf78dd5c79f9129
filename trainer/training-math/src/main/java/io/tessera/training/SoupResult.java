package io.tessera.training;

import java.util.List;
import java.util.Map;

/**
 * A soup: the merged projections to ship, the souped adapter per tower, and its recipe.
 *
 * @param method      {@code "uniform"} or {@code "greedy"}
 * @param projections {@code W0 + ΔW_soup} per tower (towers without adapters unchanged)
 * @param adapters    the souped adapter per tower ({@code projections = base + adapter.delta()})
 * @param recipe      every ingredient offered, in the order greedy souping considered them
 * @param metrics     the soup's metrics on the validation sets it was chosen with
 * @param score       the score of {@code metrics} that the greedy soup maximised
 */
public record SoupResult(String method, SoupMode mode, Map<String, Projection> projections,
                         Map<String, LoraAdapter> adapters, List<Entry> recipe, RetrievalReport metrics, double score) {

    /**
     * @param weight  the ingredient's weight in the soup (0 if left out)
     * @param metrics the ingredient's own metrics (merged alone) on the validation sets
     */
    public record Entry(String runId, double weight, boolean included, RetrievalReport metrics, double score) {
    }

    public SoupResult {
        projections = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(projections));
        adapters = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(adapters));
        recipe = List.copyOf(recipe);
    }
}
