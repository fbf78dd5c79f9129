package io.tessera.models.tiny;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.onnx.OnnxGraphs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The weightless outline of tessera-tiny's two graphs says what a full parse says about names, shapes and nodes. */
class TinyOnnxOutlineTest {

    @Test
    void outlineHasEveryNameShapeAndNodeButNoWeights() throws Exception {
        ModelDirectory tiny = TinyTestModels.tiny();
        for (String file : new String[] {tiny.manifest().image().file(), tiny.manifest().text().file()}) {
            Path f = tiny.file(file);
            OnnxMl.ModelProto full = OnnxGraphs.parse(f);
            OnnxMl.ModelProto outline = OnnxGraphs.outline(f);
            OnnxGraphs.Signature a = OnnxGraphs.signature(full);
            OnnxGraphs.Signature b = OnnxGraphs.signature(outline);
            assertEquals(a.inputs(), b.inputs());
            assertEquals(a.outputs(), b.outputs());
            assertEquals(a.initializers().keySet(), b.initializers().keySet());
            a.initializers().forEach((name, dims) -> assertArrayEquals(dims, b.initializers().get(name), name));
            assertEquals(full.getGraph().getNodeCount(), outline.getGraph().getNodeCount());
            assertEquals(full.getOpsetImportList(), outline.getOpsetImportList());
            assertEquals(full.getGraph().getInputList(), outline.getGraph().getInputList());
            assertTrue(outline.getSerializedSize() < full.getSerializedSize() / 2, "the weights are left out");
        }
    }
}
