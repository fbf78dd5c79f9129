package io.tessera.demo.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DatasetSpecTest {

    @Test
    void defaultSizeGivesTheDocumentedCounts() {
        DatasetSpec spec = new DatasetSpec(DatasetSpec.DEFAULT_SEED, DatasetSpec.DEFAULT_SIZE);
        assertEquals(200, spec.images());
        assertEquals(24, spec.videos());
        assertEquals(24, spec.documents());
        assertEquals(60, spec.texts());
        assertEquals(40, DatasetSpec.evalShare(spec.images()));
        assertEquals(5, DatasetSpec.evalShare(spec.videos()));
    }

    @Test
    void smallestSizeStillHoldsOutAndTrainsEveryModality() {
        DatasetSpec spec = new DatasetSpec(1, DatasetSpec.MIN_SIZE);
        for (int count : new int[] {spec.images(), spec.videos(), spec.documents(), spec.texts()}) {
            int eval = DatasetSpec.evalShare(count);
            assertTrue(eval >= 1 && count - eval >= 1, "count " + count + ", eval " + eval);
        }
    }

    @Test
    void sizesOutOfRangeAreRefusedWithTheRange() {
        InvalidDatasetSpecException e = assertThrows(InvalidDatasetSpecException.class, () -> new DatasetSpec(1, 9));
        assertTrue(e.getMessage().contains("between 10 and 1000"), e.getMessage());
        assertThrows(InvalidDatasetSpecException.class, () -> new DatasetSpec(1, 1001));
    }
}
