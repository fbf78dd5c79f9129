package io.tessera.training;

import java.util.Map;
import java.util.TreeMap;

/** One ingredient of a soup: a run's adapters under its run id. */
public record SoupIngredient(String runId, Map<String, LoraAdapter> adapters) {

    public SoupIngredient {
        if (runId == null || runId.isBlank()) {
            throw new InvalidTrainingInputException("a soup ingredient needs a run id");
        }
        if (adapters == null || adapters.isEmpty()) {
            throw new InvalidTrainingInputException("soup ingredient '" + runId + "' has no adapters");
        }
        adapters = java.util.Collections.unmodifiableMap(new TreeMap<>(adapters));
    }

    public static SoupIngredient of(TrainingRun run) {
        return new SoupIngredient(run.runId(), run.adapters());
    }
}
