package io.tessera.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.embedding.onnx.OnnxGraphs;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.models.tiny.TinyTestModels;
import java.awt.Color;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A directory with an exported CLIP ViT-B/32's exact names and shapes goes through the same code path. */
class ClipShapedModelTest {

    @Test
    void clipNamesAndShapesLoadAndRun() throws Exception {
        ModelDirectory dir = TinyTestModels.clipShaped();
        var vision = OnnxGraphs.signature(OnnxGraphs.parse(dir.file("onnx/vision_model.onnx")));
        var text = OnnxGraphs.signature(OnnxGraphs.parse(dir.file("onnx/text_model.onnx")));
        assertEquals(List.of("pixel_values"), vision.inputs());
        assertTrue(vision.outputs().contains("image_embeds"));
        assertEquals(List.of("input_ids", "attention_mask"), text.inputs());
        assertTrue(text.outputs().contains("text_embeds"));
        assertEquals(512, vision.initializers().get("visual_projection.weight")[0]);
        assertEquals(512, text.initializers().get("text_projection.weight")[0]);

        try (EmbeddingRuntime rt = EmbeddingRuntime.start(dir, TestModels.cpu())) {
            assertEquals(224, rt.imageSize());
            List<Embedding> images = rt.embedImages(List.of(
                    ImageInput.of(Pictures.shape(640, "circle", Color.RED, 0.3, 0.4, 0.3, Color.WHITE)),
                    ImageInput.of(Pictures.shape(224, "square", Color.BLUE, 0.5, 0.5, 0.5, Color.BLACK))));
            Embedding textEmbedding = rt.embedText("a photo of a red circle", null).get();
            for (Embedding e : List.of(images.get(0), images.get(1), textEmbedding)) {
                assertEquals(512, e.vector().length);
                assertEquals(1.0, norm(e.vector()), 1e-5);
                assertEquals(dir.ref(), e.model());
            }
            // Fixed 77-token sequences, as CLIP exports expect: the features output has one row per text.
            float[][] f = rt.textFeatures(List.of(TextInput.of("a"), TextInput.of("word ".repeat(100))))
                    .features().get("text_projection.weight");
            assertEquals(2, f.length);
            assertEquals(dir.manifest().text().projections().get(0).inputDimension(), f[0].length);
            assertEquals(77, dir.manifest().text().maxLength());
            assertTrue(dir.manifest().text().padToMaxLength());
        }
    }

    static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
