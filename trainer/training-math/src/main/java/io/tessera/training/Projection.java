package io.tessera.training;

import io.tessera.training.internal.Linalg;

import java.util.Arrays;

/**
 * One tower's linear projection {@code W} ({@code d_out x d_in}); an embedding is {@code W f / ||W f||}.
 * Immutable. Held in double precision so that merging a small LoRA delta into it loses nothing before the
 * result is written back as float.
 */
public final class Projection {

    private final int outDim;
    private final int inDim;
    private final double[] weights; // row-major [outDim][inDim]
    private volatile double[] transposed; // [inDim][outDim], built on first use by embed()

    private Projection(int outDim, int inDim, double[] weights) {
        this.outDim = outDim;
        this.inDim = inDim;
        this.weights = weights;
    }

    /**
     * Reads a projection from a row-major float matrix of shape {@code rows x cols} laid out as
     * {@code orientation} says (for {@link Orientation#IN_BY_OUT}, {@code rows = d_in} and {@code cols = d_out}).
     */
    public static Projection fromRowMajor(float[] data, int rows, int cols, Orientation orientation) {
        if (data == null || orientation == null) {
            throw new InvalidTrainingInputException("projection data and orientation are required");
        }
        if (rows <= 0 || cols <= 0 || (long) rows * cols != data.length) {
            throw new InvalidTrainingInputException("projection shape " + rows + "x" + cols
                    + " does not match its " + data.length + " values");
        }
        int outDim = orientation == Orientation.OUT_BY_IN ? rows : cols;
        int inDim = orientation == Orientation.OUT_BY_IN ? cols : rows;
        double[] w = new double[data.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                float v = data[r * cols + c];
                if (!Float.isFinite(v)) {
                    throw new InvalidTrainingInputException("projection value at [" + r + "," + c + "] is " + v);
                }
                if (orientation == Orientation.OUT_BY_IN) {
                    w[r * cols + c] = v;
                } else {
                    w[c * rows + r] = v;
                }
            }
        }
        return new Projection(outDim, inDim, w);
    }

    /** A projection from a row-major double matrix {@code [outDim][inDim]} (copied). */
    public static Projection ofOutByIn(double[] weights, int outDim, int inDim) {
        if (weights == null || outDim <= 0 || inDim <= 0 || (long) outDim * inDim != weights.length) {
            throw new InvalidTrainingInputException("projection shape " + outDim + "x" + inDim
                    + " does not match " + (weights == null ? "null" : weights.length + " values"));
        }
        for (int i = 0; i < weights.length; i++) {
            if (!Double.isFinite(weights[i])) {
                throw new InvalidTrainingInputException("projection value " + i + " is " + weights[i]);
            }
        }
        return new Projection(outDim, inDim, weights.clone());
    }

    public int outDim() {
        return outDim;
    }

    public int inDim() {
        return inDim;
    }

    /** {@code W[o][i]}. */
    public double weight(int o, int i) {
        return weights[o * inDim + i];
    }

    /** A copy of the weights, row-major {@code [outDim][inDim]}. */
    public double[] weightsOutByIn() {
        return weights.clone();
    }

    /** The weights as float, row-major in the requested layout: what an ONNX initializer rewrite needs. */
    public float[] toRowMajor(Orientation orientation) {
        float[] out = new float[weights.length];
        for (int o = 0; o < outDim; o++) {
            for (int i = 0; i < inDim; i++) {
                float v = (float) weights[o * inDim + i];
                if (orientation == Orientation.OUT_BY_IN) {
                    out[o * inDim + i] = v;
                } else {
                    out[i * outDim + o] = v;
                }
            }
        }
        return out;
    }

    /** {@code W + delta}, with {@code delta} row-major {@code [outDim][inDim]}. */
    public Projection plus(double[] delta) {
        if (delta.length != weights.length) {
            throw new InvalidTrainingInputException("delta has " + delta.length + " values, projection "
                    + outDim + "x" + inDim + " needs " + weights.length);
        }
        double[] w = weights.clone();
        Linalg.axpy(1.0, delta, w, w.length);
        return new Projection(outDim, inDim, w);
    }

    /** The unnormalised output {@code W f} into {@code out} (length {@code outDim}). */
    public void apply(float[] features, double[] out) {
        checkFeatures(features);
        double[] x = new double[inDim];
        for (int i = 0; i < inDim; i++) {
            x[i] = features[i];
        }
        Linalg.multiplyTransposed(transposed(), outDim, inDim, x, out);
    }

    /** The L2-normalised embedding {@code W f / ||W f||} (all zeros if {@code W f} is zero). */
    public double[] embed(float[] features) {
        double[] out = new double[outDim];
        apply(features, out);
        double norm = Math.sqrt(Linalg.sumOfSquares(out));
        if (norm > 0) {
            for (int o = 0; o < outDim; o++) {
                out[o] /= norm;
            }
        }
        return out;
    }

    private void checkFeatures(float[] features) {
        if (features == null || features.length != inDim) {
            throw new InvalidTrainingInputException("features have " + (features == null ? "no" : features.length)
                    + " values, the projection takes " + inDim);
        }
    }

    private double[] transposed() {
        double[] t = transposed;
        if (t == null) {
            t = new double[weights.length];
            Linalg.transpose(weights, outDim, inDim, t);
            transposed = t;
        }
        return t;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Projection p && p.outDim == outDim && p.inDim == inDim && Arrays.equals(p.weights, weights);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * outDim + inDim) + Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
        return "Projection[" + outDim + "x" + inDim + "]";
    }
}
