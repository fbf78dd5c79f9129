package io.tessera.demo.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DatasetSpecTest {

    @Test
    void defaultSizeGivesTheDocumentedCounts() {
        DatasetSpec spec = new DatasetSpec(DatasetSpec.DEFAULT_SEED, DatasetSpec.DEFAULT_SIZE);
        assertEquals(100, spec.evalQueriesPerTask());
        // Training: 160 images, 19 videos, 19 documents, 48 texts; held out: enough for 100 queries per task.
        assertEquals(160 + 100, spec.images());
        assertEquals(19 + 50, spec.videos());
        assertEquals(19 + 40, spec.documents());
        assertEquals(48 + 100, spec.texts());
        assertEquals(100, spec.evalImages());
        assertEquals(50, spec.evalVideos());
    }

    @Test
    void smallestSizeStillHoldsOutAndTrainsEveryModality() {
        DatasetSpec spec = new DatasetSpec(1, DatasetSpec.MIN_SIZE);
        int[][] counts = {{spec.images(), spec.evalImages()}, {spec.videos(), spec.evalVideos()},
            {spec.documents(), spec.evalDocuments()}, {spec.texts(), spec.evalTexts()}};
        for (int[] c : counts) {
            assertTrue(c[1] >= 1 && c[0] - c[1] >= 1, "count " + c[0] + ", eval " + c[1]);
        }
    }

    @Test
    void sizesOutOfRangeAreRefusedWithTheRange() {
        InvalidDatasetSpecException e = assertThrows(InvalidDatasetSpecException.class, () -> new DatasetSpec(1, 9));
        assertTrue(e.getMessage().contains("between 10 and 1000"), e.getMessage());
        assertThrows(InvalidDatasetSpecException.class, () -> new DatasetSpec(1, 1001));
    }
}
