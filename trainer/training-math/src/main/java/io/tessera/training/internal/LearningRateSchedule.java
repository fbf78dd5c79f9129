package io.tessera.training.internal;

/**
 * Linear warm-up then cosine decay, as a function of the 0-based step index {@code t} of {@code T} steps with
 * {@code W} warm-up steps:
 * <pre>
 *   t &lt; W :  lr(t) = peak · (t+1)/W
 *   t ≥ W :  lr(t) = peak · (m + (1−m) · ½(1 + cos(π · (t−W+1)/(T−W))))
 * </pre>
 * Both phases count the step being taken, so the first step already moves (unlike schedules that start at
 * exactly 0), the last warm-up step is at the peak, and the last step of the run reaches {@code peak·m}.
 */
public final class LearningRateSchedule {

    private final double peak;
    private final int warmupSteps;
    private final int totalSteps;
    private final double minRatio;

    public LearningRateSchedule(double peak, int warmupSteps, int totalSteps, double minRatio) {
        if (totalSteps < 1 || warmupSteps < 0 || warmupSteps > totalSteps) {
            throw new IllegalArgumentException("need 0 <= warmupSteps <= totalSteps and totalSteps >= 1, got "
                    + warmupSteps + " and " + totalSteps);
        }
        this.peak = peak;
        this.warmupSteps = warmupSteps;
        this.totalSteps = totalSteps;
        this.minRatio = minRatio;
    }

    /** {@code round(fraction·T)} warm-up steps, at least one step of decay left when {@code T > 1}. */
    public static LearningRateSchedule of(double peak, double warmupFraction, int totalSteps, double minRatio) {
        int warmup = (int) Math.round(warmupFraction * totalSteps);
        warmup = Math.min(warmup, Math.max(0, totalSteps - 1));
        return new LearningRateSchedule(peak, warmup, totalSteps, minRatio);
    }

    public double rate(int step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        int decaySteps = totalSteps - warmupSteps;
        double progress = Math.min(1.0, (double) (step - warmupSteps + 1) / decaySteps);
        return peak * (minRatio + (1 - minRatio) * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }

    public int warmupSteps() {
        return warmupSteps;
    }

    public int totalSteps() {
        return totalSteps;
    }
}
