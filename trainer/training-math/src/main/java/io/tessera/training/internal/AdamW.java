package io.tessera.training.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * AdamW (Loshchilov &amp; Hutter), the same update as PyTorch's {@code torch.optim.AdamW}: the weight decay
 * is decoupled from the gradient ({@code p ← p − lr·λ·p}, applied before the Adam step and not fed into the
 * moments), and the moments are bias-corrected. Parameter groups carry their own learning-rate multiplier
 * and decay switch, so temperatures can be excluded from decay.
 */
public final class AdamW {

    /** A flat parameter array, its gradient, and this group's optimisation settings. */
    public static final class Group {
        final double[] values;
        final double[] grads;
        final double learningRateMultiplier;
        final boolean decay;
        final double[] m;
        final double[] v;
        int steps;
        boolean active = true;

        public Group(double[] values, double[] grads, double learningRateMultiplier, boolean decay) {
            if (values.length != grads.length) {
                throw new IllegalArgumentException("values and gradients differ in length");
            }
            this.values = values;
            this.grads = grads;
            this.learningRateMultiplier = learningRateMultiplier;
            this.decay = decay;
            this.m = new double[values.length];
            this.v = new double[values.length];
        }

        /**
         * Whether the next {@link AdamW#step} updates this group. A parameter that took no part in a batch
         * (a tower or a task's temperature absent from it) is skipped entirely, momentum and decay included,
         * as PyTorch skips parameters whose gradient is None; its bias correction counts its own steps.
         */
        public void setActive(boolean active) {
            this.active = active;
        }
    }

    private final List<Group> groups = new ArrayList<>();
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;

    public AdamW(double beta1, double beta2, double epsilon, double weightDecay) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
    }

    public void add(Group group) {
        groups.add(group);
    }

    /** The L2 norm of all gradients together. */
    public double gradientNorm() {
        double sum = 0;
        for (Group g : groups) {
            sum += Linalg.sumOfSquares(g.grads);
        }
        return Math.sqrt(sum);
    }

    /**
     * Scales all gradients so their global norm is at most {@code maxNorm} (as {@code clip_grad_norm_}).
     *
     * @return the norm before clipping
     */
    public double clipGradientNorm(double maxNorm) {
        double norm = gradientNorm();
        if (maxNorm > 0 && norm > maxNorm) {
            double c = maxNorm / (norm + 1e-12);
            for (Group g : groups) {
                for (int i = 0; i < g.grads.length; i++) {
                    g.grads[i] *= c;
                }
            }
        }
        return norm;
    }

    /** One update of every active group with base learning rate {@code lr}. */
    public void step(double lr) {
        for (Group g : groups) {
            if (!g.active) {
                continue;
            }
            g.steps++;
            double bc1 = 1 - Math.pow(beta1, g.steps);
            double bc2 = 1 - Math.pow(beta2, g.steps);
            double groupLr = lr * g.learningRateMultiplier;
            double decayFactor = g.decay ? 1 - groupLr * weightDecay : 1.0;
            double[] p = g.values;
            double[] grad = g.grads;
            double[] m = g.m;
            double[] v = g.v;
            for (int i = 0; i < p.length; i++) {
                double gi = grad[i];
                m[i] = beta1 * m[i] + (1 - beta1) * gi;
                v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
                double mHat = m[i] / bc1;
                double vHat = v[i] / bc2;
                p[i] = p[i] * decayFactor - groupLr * mHat / (Math.sqrt(vHat) + epsilon);
            }
        }
    }
}
