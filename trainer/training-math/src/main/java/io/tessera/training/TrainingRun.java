package io.tessera.training;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The result of one training run: an adapter per tower, the learned temperature per task, and the loss of
 * every step.
 */
public final class TrainingRun {

    private final String runId;
    private final TrainingConfig config;
    private final Map<String, LoraAdapter> adapters;
    private final Map<String, Double> temperatures;
    private final List<StepRecord> history;
    private final long elapsedMillis;

    public TrainingRun(String runId, TrainingConfig config, Map<String, LoraAdapter> adapters,
                       Map<String, Double> temperatures, List<StepRecord> history, long elapsedMillis) {
        this.runId = runId;
        this.config = config;
        this.adapters = java.util.Collections.unmodifiableMap(new TreeMap<>(adapters));
        this.temperatures = java.util.Collections.unmodifiableMap(new TreeMap<>(temperatures));
        this.history = List.copyOf(history);
        this.elapsedMillis = elapsedMillis;
    }

    public String runId() {
        return runId;
    }

    public TrainingConfig config() {
        return config;
    }

    /** By tower name. */
    public Map<String, LoraAdapter> adapters() {
        return adapters;
    }

    /** Final {@code τ_t} by task name. */
    public Map<String, Double> temperatures() {
        return temperatures;
    }

    public List<StepRecord> history() {
        return history;
    }

    /** Wall-clock time of the optimisation loop (not part of the deterministic result). */
    public long elapsedMillis() {
        return elapsedMillis;
    }

    /**
     * {@code W0 + (α/r)·B·A} for every tower that has an adapter; towers in {@code base} without one are
     * returned unchanged.
     */
    public Map<String, Projection> mergedProjections(Map<String, Projection> base) {
        Map<String, Projection> out = new TreeMap<>(base);
        adapters.forEach((tower, adapter) -> {
            Projection p = base.get(tower);
            if (p == null) {
                throw new InvalidTrainingInputException("no base projection for trained tower '" + tower + "'");
            }
            out.put(tower, adapter.mergeInto(p));
        });
        return out;
    }

    /** Mean batch loss of an epoch (0-based). */
    public double meanLoss(int epoch) {
        return history.stream().filter(s -> s.epoch() == epoch).mapToDouble(StepRecord::loss).average().orElse(Double.NaN);
    }
}
