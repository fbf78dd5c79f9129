package io.tessera.training.internal;

/**
 * {@code τ = clamp(exp(θ), τ_min, τ_max)}. The clamp is a hard one: where it is active {@code dτ/dθ = 0},
 * so a clamped temperature receives no gradient (as CLIP's clamped logit scale). To keep such a temperature
 * from getting stuck outside the range (momentum could push {@code θ} beyond it, where no gradient can pull
 * it back) the trainer also projects {@code θ} back into {@code [log τ_min, log τ_max]} after each update;
 * on the boundary itself the gradient is passed through, so it can move back inside.
 */
public final class Temperature {

    private Temperature() {
    }

    public static double tau(double theta, double min, double max) {
        return Math.min(max, Math.max(min, Math.exp(theta)));
    }

    /** Whether {@code exp(θ)} lies strictly outside {@code [min, max]} (the clamp is active). */
    public static boolean clamped(double theta, double min, double max) {
        double t = Math.exp(theta);
        return t < min || t > max;
    }

    /** {@code dL/dθ} from {@code dL/dτ}: {@code dL/dτ · τ} inside the range, 0 where the clamp is active. */
    public static double gradTheta(double theta, double min, double max, double gradTau) {
        return clamped(theta, min, max) ? 0.0 : gradTau * Math.exp(theta);
    }

    /** {@code θ} projected into {@code [log min, log max]}. */
    public static double project(double theta, double min, double max) {
        return Math.min(Math.log(max), Math.max(Math.log(min), theta));
    }
}
