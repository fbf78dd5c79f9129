package io.tessera.training;

import io.tessera.training.internal.LoraTower;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LoraMergeTest {

    @Test
    void forwardWithTheAdapterEqualsForwardWithTheMergedProjection() {
        SplittableRandom random = new SplittableRandom(21);
        int out = 16;
        int in = 40;
        Projection base = Fixtures.randomProjection(random, out, in);
        LoraTower tower = new LoraTower(out, in, 4, 8.0);
        tower.initialise(random);
        for (int i = 0; i < tower.b.length; i++) {
            tower.b[i] = 0.2 * random.nextGaussian();
        }
        Projection merged = tower.snapshot().mergeInto(base);

        double[][] feats = new double[5][];
        double[][] baseOut = new double[5][];
        float[][] raw = new float[5][];
        for (int i = 0; i < 5; i++) {
            raw[i] = Fixtures.randomFeatures(random, in);
            feats[i] = new double[in];
            for (int j = 0; j < in; j++) {
                feats[i][j] = raw[i][j];
            }
            baseOut[i] = new double[out];
            base.apply(raw[i], baseOut[i]);
        }
        LoraTower.Activations act = tower.forward(feats, baseOut);
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(merged.embed(raw[i]), act.embeddings[i], 1e-12);
        }
        // and after the round trip through float, as the ONNX initializer stores it
        Projection stored = Projection.fromRowMajor(merged.toRowMajor(Orientation.IN_BY_OUT), in, out, Orientation.IN_BY_OUT);
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(merged.embed(raw[i]), stored.embed(raw[i]), 1e-6);
        }
    }

    @Test
    void aFreshAdapterIsTheIdentityUpdate() {
        SplittableRandom random = new SplittableRandom(2);
        LoraTower tower = new LoraTower(8, 12, 8, 16);
        tower.initialise(random);
        Projection base = Fixtures.randomProjection(random, 8, 12);
        assertEquals(base, tower.snapshot().mergeInto(base), "B = 0 at the start, so W' = W0 exactly");
        assertArrayEquals(new double[8 * 12], tower.snapshot().delta());
    }

    @Test
    void deltaIsScaledBTimesA() {
        // r = 1: ΔW = (α/r)·b·aᵀ
        LoraAdapter adapter = new LoraAdapter(2, 3, 1, 4.0, new double[] {1, 2, 3}, new double[] {0.5, -1});
        assertArrayEquals(new double[] {2, 4, 6, -4, -8, -12}, adapter.delta(), 1e-15);
    }

    @Test
    void orientationsDescribeTheSameMatrix() {
        // W = [[1, 2, 3], [4, 5, 6]] (d_out = 2, d_in = 3)
        Projection outByIn = Projection.fromRowMajor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3, Orientation.OUT_BY_IN);
        Projection inByOut = Projection.fromRowMajor(new float[] {1, 4, 2, 5, 3, 6}, 3, 2, Orientation.IN_BY_OUT);
        assertEquals(outByIn, inByOut);
        assertEquals(2, inByOut.outDim());
        assertEquals(6.0, inByOut.weight(1, 2));
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, outByIn.toRowMajor(Orientation.IN_BY_OUT));
        double[] u = new double[2];
        outByIn.apply(new float[] {1, 0, -1}, u);
        assertArrayEquals(new double[] {-2, -2}, u);
        assertThrows(InvalidTrainingInputException.class,
                () -> Projection.fromRowMajor(new float[5], 2, 3, Orientation.OUT_BY_IN));
        assertThrows(InvalidTrainingInputException.class, () -> outByIn.embed(new float[4]));
    }
}
