package io.tessera.training;

import io.tessera.training.internal.Linalg;

import java.util.Arrays;

/**
 * A trained low-rank update of one tower's projection: {@code ΔW = (α/r)·B·A} with {@code A} ({@code r x d_in})
 * and {@code B} ({@code d_out x r}), both row-major. Immutable: accessors return copies.
 */
public final class LoraAdapter {

    private final int outDim;
    private final int inDim;
    private final int rank;
    private final double alpha;
    private final double[] a;
    private final double[] b;

    public LoraAdapter(int outDim, int inDim, int rank, double alpha, double[] a, double[] b) {
        if (outDim <= 0 || inDim <= 0 || rank <= 0) {
            throw new InvalidTrainingInputException("LoRA shape must be positive: d_out=" + outDim + " d_in=" + inDim + " r=" + rank);
        }
        if (a == null || a.length != rank * inDim || b == null || b.length != outDim * rank) {
            throw new InvalidTrainingInputException("LoRA factors do not match r=" + rank + ", d_in=" + inDim
                    + ", d_out=" + outDim + ": A has " + (a == null ? "no" : a.length) + " values, B has "
                    + (b == null ? "no" : b.length));
        }
        if (!(alpha > 0) || !Double.isFinite(alpha)) {
            throw new InvalidTrainingInputException("LoRA alpha must be positive, got " + alpha);
        }
        this.outDim = outDim;
        this.inDim = inDim;
        this.rank = rank;
        this.alpha = alpha;
        this.a = a.clone();
        this.b = b.clone();
    }

    public int outDim() {
        return outDim;
    }

    public int inDim() {
        return inDim;
    }

    public int rank() {
        return rank;
    }

    public double alpha() {
        return alpha;
    }

    /** This update times {@code factor} (in (0, 1] to move part of the way from the base projection). */
    public LoraAdapter scaled(double factor) {
        return new LoraAdapter(outDim, inDim, rank, alpha * factor, a, b);
    }

    /** {@code α/r}. */
    public double scale() {
        return alpha / rank;
    }

    /** {@code A}, row-major {@code [r][d_in]}. */
    public double[] a() {
        return a.clone();
    }

    /** {@code B}, row-major {@code [d_out][r]}. */
    public double[] b() {
        return b.clone();
    }

    /** The dense update {@code (α/r)·B·A}, row-major {@code [d_out][d_in]}. */
    public double[] delta() {
        double[] d = new double[outDim * inDim];
        double s = scale();
        for (int o = 0; o < outDim; o++) {
            for (int k = 0; k < rank; k++) {
                double bok = s * b[o * rank + k];
                if (bok != 0.0) {
                    Linalg.axpy(bok, a, k * inDim, d, o * inDim, inDim);
                }
            }
        }
        return d;
    }

    /** {@code W0 + (α/r)·B·A}. */
    public Projection mergeInto(Projection base) {
        if (base.outDim() != outDim || base.inDim() != inDim) {
            throw new InvalidTrainingInputException("adapter " + outDim + "x" + inDim + " does not fit projection "
                    + base.outDim() + "x" + base.inDim());
        }
        return base.plus(delta());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoraAdapter l && l.outDim == outDim && l.inDim == inDim && l.rank == rank
                && l.alpha == alpha && Arrays.equals(l.a, a) && Arrays.equals(l.b, b);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(a) * 31 + Arrays.hashCode(b);
    }

    @Override
    public String toString() {
        return "LoraAdapter[" + outDim + "x" + inDim + ", r=" + rank + ", alpha=" + alpha + "]";
    }
}
