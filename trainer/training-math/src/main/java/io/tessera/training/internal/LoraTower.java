package io.tessera.training.internal;

import io.tessera.training.LoraAdapter;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The trainable part of one tower: {@code e = normalise(W0·f + (α/r)·B·A·f)}, with {@code W0·f} precomputed
 * per item (the base projection is frozen and features are cached, so that product is paid once per item,
 * not once per step).
 *
 * <p>Every loop is parallel over independent output rows (items in the forward pass, rows of {@code dA}
 * and {@code dB} in the backward pass) and each row sums in a fixed order, so the results are bit-for-bit
 * identical whatever the number of threads.
 */
public final class LoraTower {

    /** Below this many multiply-adds a pass runs on the calling thread: forking would cost more. */
    private static final long PARALLEL_THRESHOLD = 200_000;

    public final int outDim;
    public final int inDim;
    public final int rank;
    public final double alpha;
    public final double scale;
    public final double[] a;      // [rank][inDim]
    public final double[] b;      // [outDim][rank]
    public final double[] gradA;
    public final double[] gradB;
    private final double[] aT;    // [inDim][rank]
    private final double[] bT;    // [rank][outDim]

    public LoraTower(int outDim, int inDim, int rank, double alpha) {
        this.outDim = outDim;
        this.inDim = inDim;
        this.rank = rank;
        this.alpha = alpha;
        this.scale = alpha / rank;
        this.a = new double[rank * inDim];
        this.b = new double[outDim * rank];
        this.gradA = new double[a.length];
        this.gradB = new double[b.length];
        this.aT = new double[a.length];
        this.bT = new double[b.length];
    }

    /**
     * The standard LoRA start (Hu et al.; PEFT's default): {@code A ~ U(−1/√d_in, 1/√d_in)} (Kaiming-uniform
     * with a = √5), {@code B = 0}, so the adapted tower starts exactly at the base projection.
     */
    public void initialise(SplittableRandom random) {
        double bound = 1.0 / Math.sqrt(inDim);
        for (int i = 0; i < a.length; i++) {
            a[i] = (2 * random.nextDouble() - 1) * bound;
        }
        java.util.Arrays.fill(b, 0.0);
    }

    public LoraAdapter snapshot() {
        return new LoraAdapter(outDim, inDim, rank, alpha, a, b);
    }

    public void zeroGrad() {
        java.util.Arrays.fill(gradA, 0.0);
        java.util.Arrays.fill(gradB, 0.0);
    }

    /** The activations of one forward pass, kept for the backward pass. */
    public static final class Activations {
        public final double[][] features;
        final double[][] h;          // [n][rank]
        final double[] norms;        // ||u_i||
        public final double[][] embeddings; // [n][outDim], unit norm

        Activations(double[][] features, double[][] h, double[] norms, double[][] embeddings) {
            this.features = features;
            this.h = h;
            this.norms = norms;
            this.embeddings = embeddings;
        }
    }

    /**
     * @param features per item, length {@code inDim}
     * @param base     per item, {@code W0·f}, length {@code outDim}
     */
    public Activations forward(double[][] features, double[][] base) {
        Linalg.transpose(a, rank, inDim, aT);
        Linalg.transpose(b, outDim, rank, bT);
        int n = features.length;
        double[][] h = new double[n][];
        double[][] e = new double[n][];
        double[] norms = new double[n];
        rows(n, (long) rank * (inDim + outDim), i -> {
            double[] hi = new double[rank];
            Linalg.multiplyTransposed(aT, rank, inDim, features[i], hi);
            double[] u = base[i].clone();
            for (int k = 0; k < rank; k++) {
                double c = scale * hi[k];
                if (c != 0.0) {
                    Linalg.axpy(c, bT, k * outDim, u, 0, outDim);
                }
            }
            double norm = Math.sqrt(Linalg.sumOfSquares(u));
            if (!(norm > 0)) {
                throw new ArithmeticException("a projected embedding has zero norm; its direction is undefined");
            }
            for (int o = 0; o < outDim; o++) {
                u[o] /= norm;
            }
            h[i] = hi;
            e[i] = u;
            norms[i] = norm;
        });
        return new Activations(features, h, norms, e);
    }

    /**
     * Accumulates {@code dL/dA} and {@code dL/dB} from {@code dL/de} (one row per item of {@code act}).
     * Through the normalisation {@code e = u/||u||}: {@code dL/du = (g − e·(e·g)) / ||u||}.
     */
    public void backward(Activations act, double[][] gradEmbeddings) {
        int n = act.embeddings.length;
        double[][] gu = new double[n][];
        double[][] gh = new double[n][];
        rows(n, (long) rank * outDim, i -> {
            double[] g = gradEmbeddings[i];
            double[] e = act.embeddings[i];
            double proj = Linalg.dot(e, g);
            double inv = 1.0 / act.norms[i];
            double[] du = new double[outDim];
            for (int o = 0; o < outDim; o++) {
                du[o] = (g[o] - e[o] * proj) * inv;
            }
            gu[i] = du;
            // dL/dh = (α/r)·Bᵀ·du, as axpys over B's rows.
            double[] dh = new double[rank];
            for (int o = 0; o < outDim; o++) {
                double c = scale * du[o];
                if (c != 0.0) {
                    Linalg.axpy(c, b, o * rank, dh, 0, rank);
                }
            }
            gh[i] = dh;
        });
        // dL/dB[o] += (α/r)·Σ_i du_i[o]·h_i
        rows(outDim, (long) n * rank, o -> {
            for (int i = 0; i < n; i++) {
                double c = scale * gu[i][o];
                if (c != 0.0) {
                    Linalg.axpy(c, act.h[i], 0, gradB, o * rank, rank);
                }
            }
        });
        // dL/dA[k] += Σ_i dh_i[k]·f_i
        rows(rank, (long) n * inDim, k -> {
            for (int i = 0; i < n; i++) {
                double c = gh[i][k];
                if (c != 0.0) {
                    Linalg.axpy(c, act.features[i], 0, gradA, k * inDim, inDim);
                }
            }
        });
    }

    private static void rows(int count, long workPerRow, java.util.function.IntConsumer body) {
        if (count * workPerRow < PARALLEL_THRESHOLD) {
            for (int i = 0; i < count; i++) {
                body.accept(i);
            }
        } else {
            IntStream.range(0, count).parallel().forEach(body);
        }
    }
}
