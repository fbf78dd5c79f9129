package io.tessera.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.model.ModelRef;
import io.tessera.embedding.model.ModelVersions;
import io.tessera.models.tiny.TinyTestModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ModelSwapTest {

    /** Version 2 of tessera-tiny with a different text projection (what a training round publishes). */
    private static ModelDirectory trainedVersion() throws Exception {
        ModelDirectory v1 = TinyTestModels.tiny();
        ModelVersions.Weights w = ModelVersions.projections(v1).get("text_projection.weight");
        float[] changed = w.values().clone();
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < changed.length; i++) {
            changed[i] += (float) (r.nextGaussian() * 0.05);
        }
        return ModelVersions.derive(v1, 2, Map.of("text_projection.weight", changed),
                TestModels.freshDir("v2").resolve("tessera-tiny-2"));
    }

    @Test
    void derivedVersionKeepsTheLayoutAndRecordsItsParent() throws Exception {
        ModelDirectory v2 = trainedVersion();
        assertEquals(new ModelRef("tessera-tiny", 2), v2.ref());
        assertEquals(1, v2.manifest().parentVersion());
        assertEquals(TinyTestModels.tiny().manifest().files().get("onnx/vision_model.onnx"),
                v2.manifest().files().get("onnx/vision_model.onnx"), "untouched tower keeps its bytes");
        assertTrue(!TinyTestModels.tiny().manifest().files().get("onnx/text_model.onnx")
                .equals(v2.manifest().files().get("onnx/text_model.onnx")));
    }

    @Test
    void swapUnderLoadLosesNoCallAndEveryVectorMatchesTheVersionItReports() throws Exception {
        ModelDirectory v2 = trainedVersion();
        List<TextInput> texts = List.of(TextInput.of("a small red circle at the top left"));
        float[] expectedV1;
        float[] expectedV2;
        try (EmbeddingRuntime one = EmbeddingRuntime.start(TinyTestModels.tiny(), TestModels.cpu())) {
            expectedV1 = one.embedTexts(texts).get(0).vector();
        }
        try (EmbeddingRuntime two = EmbeddingRuntime.start(v2, TestModels.cpu())) {
            expectedV2 = two.embedTexts(texts).get(0).vector();
        }
        try (EmbeddingRuntime rt = EmbeddingRuntime.start(TinyTestModels.tiny(), TestModels.cpu())) {
            List<CompletableFuture<Embedding>> calls = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.atomic.AtomicBoolean swapped = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.CountDownLatch loaded = new java.util.concurrent.CountDownLatch(1);
            // Calls keep coming before, during and after the swap: 200 of them before it starts, 200 after it ends.
            Thread load = Thread.ofPlatform().start(() -> {
                int afterSwap = 0;
                while (afterSwap < 200) {
                    calls.add(rt.embedText(texts.get(0)));
                    if (calls.size() == 200) {
                        loaded.countDown();
                    }
                    if (swapped.get()) {
                        afterSwap++;
                    }
                }
            });
            loaded.await(30, TimeUnit.SECONDS);
            ModelRef was = rt.swap(v2);
            swapped.set(true);
            load.join();
            assertEquals(new ModelRef("tessera-tiny", 1), was);
            assertEquals(new ModelRef("tessera-tiny", 2), rt.model());
            int v1 = 0;
            int v2Count = 0;
            for (CompletableFuture<Embedding> c : calls) {
                Embedding e = c.get(30, TimeUnit.SECONDS);
                if (e.model().version() == 1) {
                    assertArrayEquals(expectedV1, e.vector(), 1e-6f);
                    v1++;
                } else {
                    assertArrayEquals(expectedV2, e.vector(), 1e-6f);
                    v2Count++;
                }
            }
            assertEquals(calls.size(), v1 + v2Count);
            assertTrue(v1 >= 1 && v2Count >= 200, "calls landed on both versions: v1 " + v1 + ", v2 " + v2Count);
            Embedding after = rt.embedText(texts.get(0)).get(10, TimeUnit.SECONDS);
            assertEquals(2, after.model().version(), "new calls run on the new version");
        }
    }
}
