package io.tessera.vectorstore;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input is refused before anything reaches Milvus, with a message naming the problem. */
class RecordsTest {

    private static final float[] V = {0.6f, 0.8f};

    @Test
    void rowPrimaryKeyIsMediaIdHashSegment() {
        assertEquals("img-1#-1", VectorRow.whole("img-1", "t", "IMAGE", V, Map.of()).pk());
        assertEquals("vid#12", new VectorRow("vid", "t", "VIDEO", 12, 12000L, 13000L, V, null).pk());
        assertEquals(Map.of(), new VectorRow("vid", "t", "VIDEO", 12, 12000L, 13000L, V, null).attributes());
    }

    @Test
    void rowRejectsBadValues() {
        assertMessage("mediaId must not be blank", () -> VectorRow.whole(" ", "t", "IMAGE", V, Map.of()));
        assertMessage("control character", () -> VectorRow.whole("a\nb", "t", "IMAGE", V, Map.of()));
        assertMessage("tenant is 129 bytes", () -> VectorRow.whole("m", "t".repeat(129), "IMAGE", V, Map.of()));
        assertMessage("mediaId is 258 bytes", () -> VectorRow.whole("é".repeat(129), "t", "IMAGE", V, Map.of()));
        assertMessage("non-finite value at index 1", () -> VectorRow.whole("m", "t", "IMAGE", new float[]{1, Float.NaN}, Map.of()));
        assertMessage("all zeros", () -> VectorRow.whole("m", "t", "IMAGE", new float[]{0, 0}, Map.of()));
        assertMessage("segment must be -1", () -> new VectorRow("m", "t", "VIDEO", -2, null, null, V, Map.of()));
        assertMessage("both be set", () -> new VectorRow("m", "t", "VIDEO", 0, 1L, null, V, Map.of()));
        assertMessage("startMs <= endMs", () -> new VectorRow("m", "t", "VIDEO", 0, 5L, 4L, V, Map.of()));
        java.util.HashMap<String, String> nullValue = new java.util.HashMap<>();
        nullValue.put("k", null);
        assertMessage("null value", () -> VectorRow.whole("m", "t", "IMAGE", V, nullValue));
    }

    @Test
    void itemNeedsItsWholeRowAndOnlyItsOwnRows() {
        VectorRow whole = VectorRow.whole("m", "t", "VIDEO", V, Map.of());
        VectorRow frame = new VectorRow("m", "t", "VIDEO", 0, 0L, 1000L, V, Map.of());
        assertEquals(2, new MediaItem("m", "t", List.of(whole, frame)).rows().size());
        assertMessage("no whole-item row", () -> new MediaItem("m", "t", List.of(frame)));
        assertMessage("segment 0 twice", () -> new MediaItem("m", "t", List.of(whole, frame, frame)));
        assertMessage("does not belong", () -> new MediaItem("m", "other", List.of(whole)));
        assertMessage("has no rows", () -> new MediaItem("m", "t", List.of()));
        VectorRow frame2 = new VectorRow("m", "t", "VIDEO", 2, 2000L, 3000L, V, Map.of());
        assertMessage("numbered 0..1, found 2", () -> new MediaItem("m", "t", List.of(whole, frame2, frame)));
        VectorRow frame1 = new VectorRow("m", "t", "VIDEO", 1, 1000L, 2000L, V, Map.of());
        assertEquals(List.of(-1, 0, 1), new MediaItem("m", "t", List.of(frame1, whole, frame)).rows().stream()
                .map(VectorRow::segment).toList(), "rows are kept in segment order");
    }

    @Test
    void searchRequestBoundsTopKAndChecksEveryValue() {
        assertMessage("topK must be in [1, 16384]", () -> SearchRequest.of("c", "t", V, 0));
        assertMessage("topK must be in [1, 16384]", () -> SearchRequest.of("c", "t", V, 16_385));
        assertMessage("tenant must not be blank", () -> SearchRequest.of("c", "", V, 1));
        SearchRequest r = SearchRequest.of("c", "t", V, 10);
        assertEquals(SegmentScope.ALL, r.scope());
        assertTrue(r.modalities().isEmpty());
    }

    @Test
    void rowFilterChecksValues() {
        assertMessage("tenant must not be blank", () -> RowFilter.tenant(""));
        assertEquals(Optional.of("m"), RowFilter.tenant("t").andMediaId("m").mediaId());
    }

    @Test
    void modelSpecAndConfigValidate() {
        assertThrows(IllegalArgumentException.class, () -> new ModelSpec("m", 0, 8));
        assertThrows(IllegalArgumentException.class, () -> new ModelSpec("m", 1, 1));
        IllegalArgumentException uri = assertThrows(IllegalArgumentException.class, () -> VectorStoreConfig.defaults("127.0.0.1:19530"));
        assertTrue(uri.getMessage().contains("http://127.0.0.1:19530"), uri.getMessage());
        assertThrows(IllegalArgumentException.class, () -> VectorStoreConfig.defaults(VectorStoreConfig.DEFAULT_URI).withWriteBatchSize(0));
        String printed = VectorStoreConfig.defaults(VectorStoreConfig.DEFAULT_URI).withToken("root:secret").toString();
        assertFalse(printed.contains("secret"), printed);
    }

    @Test
    void errorsSayWhetherToRetry() {
        assertTrue(new TransientVectorStoreException("x", null).isTransient());
        assertFalse(new SchemaMismatchException("x").isTransient());
        assertFalse(new CollectionNotFoundException("x", null).isTransient());
    }

    private static void assertMessage(String expectedPart, org.junit.jupiter.api.function.Executable e) {
        InvalidVectorDataException ex = assertThrows(InvalidVectorDataException.class, e);
        assertTrue(ex.getMessage().contains(expectedPart), () -> "'" + ex.getMessage() + "' should contain '" + expectedPart + "'");
    }
}
