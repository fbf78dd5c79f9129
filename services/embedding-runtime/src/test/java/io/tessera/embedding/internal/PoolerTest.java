package io.tessera.embedding.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tessera.embedding.model.ModelManifest.Pooling;
import org.junit.jupiter.api.Test;

class PoolerTest {
    /** Two inputs, three tokens, hidden 2; the second input's last token is padding. */
    private static final Pooler.Tensor HIDDEN = new Pooler.Tensor(new float[] {
        1, 2, 3, 4, 5, 6,
        10, 20, 30, 40, 99, 99}, new long[] {2, 3, 2});
    private static final long[] MASK = {1, 1, 1, 1, 1, 0};

    @Test
    void meanSkipsPadding() {
        float[][] out = Pooler.pool(HIDDEN, MASK, Pooling.MEAN);
        assertArrayEquals(new float[] {3, 4}, out[0]);
        assertArrayEquals(new float[] {20, 30}, out[1]);
    }

    @Test
    void clsTakesTheFirstToken() {
        float[][] out = Pooler.pool(HIDDEN, MASK, Pooling.CLS);
        assertArrayEquals(new float[] {1, 2}, out[0]);
        assertArrayEquals(new float[] {10, 20}, out[1]);
    }

    @Test
    void lastTakesTheLastNonPaddingToken() {
        float[][] out = Pooler.pool(HIDDEN, MASK, Pooling.LAST);
        assertArrayEquals(new float[] {5, 6}, out[0]);
        assertArrayEquals(new float[] {30, 40}, out[1]);
    }

    @Test
    void withoutAMaskEveryTokenCounts() {
        float[][] out = Pooler.pool(HIDDEN, null, Pooling.MEAN);
        assertArrayEquals(new float[] {(10 + 30 + 99) / 3f, (20 + 40 + 99) / 3f}, out[1], 1e-5f);
    }

    @Test
    void aPooledOutputPassesThroughAndAPerTokenOneWithoutPoolingIsRefused() {
        float[][] rows = Pooler.pool(new Pooler.Tensor(new float[] {1, 2, 3, 4}, new long[] {2, 2}), null,
                Pooling.NONE);
        assertArrayEquals(new float[] {3, 4}, rows[1]);
        assertThrows(IllegalStateException.class, () -> Pooler.pool(HIDDEN, MASK, Pooling.NONE));
    }
}
