package io.tessera.training.internal;

/**
 * The few dense kernels the trainer needs, hand-written because the matrices are small (a few hundred by a
 * few thousand) and every product in the LoRA forward/backward pass can be phrased as an axpy over a
 * contiguous row, which HotSpot's C2 auto-vectorises; a BLAS binding (native code) or a general
 * linear-algebra library would add a dependency without being faster at these sizes.
 *
 * <p>Reductions ({@link #dot}) keep four independent accumulators: C2 does not vectorise floating-point
 * reductions (it must keep their order), so the unrolling is what gives instruction-level parallelism.
 * The summation order is fixed, so results are bit-for-bit reproducible.
 */
public final class Linalg {

    private Linalg() {
    }

    /** {@code y[yOff..yOff+n) += a * x[xOff..xOff+n)}. */
    public static void axpy(double a, double[] x, int xOff, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += a * x[xOff + i];
        }
    }

    /** {@code y[0..n) += a * x[0..n)}. */
    public static void axpy(double a, double[] x, double[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] += a * x[i];
        }
    }

    public static double dot(double[] x, int xOff, double[] y, int yOff, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += x[xOff + i] * y[yOff + i];
            s1 += x[xOff + i + 1] * y[yOff + i + 1];
            s2 += x[xOff + i + 2] * y[yOff + i + 2];
            s3 += x[xOff + i + 3] * y[yOff + i + 3];
        }
        for (; i < n; i++) {
            s0 += x[xOff + i] * y[yOff + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    public static double dot(double[] x, double[] y) {
        return dot(x, 0, y, 0, x.length);
    }

    public static double sumOfSquares(double[] x) {
        return dot(x, x);
    }

    /** Transposes a row-major {@code rows x cols} matrix into {@code out} ({@code cols x rows}). */
    public static void transpose(double[] m, int rows, int cols, double[] out) {
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = m[base + c];
            }
        }
    }

    /**
     * {@code out = M x} for a row-major {@code rows x cols} matrix given as its transpose {@code mT}
     * ({@code cols x rows}), so that the product is a sequence of axpys over contiguous rows of {@code mT}.
     * {@code out} is overwritten.
     */
    public static void multiplyTransposed(double[] mT, int rows, int cols, double[] x, double[] out) {
        java.util.Arrays.fill(out, 0, rows, 0.0);
        for (int c = 0; c < cols; c++) {
            double xc = x[c];
            if (xc != 0.0) {
                axpy(xc, mT, c * rows, out, 0, rows);
            }
        }
    }
}
