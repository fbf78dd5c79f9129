package io.tessera.embedding.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The weightless outline of a graph says what a full parse says about names, shapes and nodes. */
class OnnxOutlineTest {

    /**
     * A real exported graph: all-MiniLM-L6-v2 (int8), unpacked by the build under target/minilm (the two-tower
     * tessera-tiny graphs are checked the same way in models/tessera-tiny's tests, which can depend on this module).
     */
    @Test
    void outlineHasEveryNameShapeAndNodeButNoWeights() throws Exception {
        Path minilm = Path.of(System.getProperty("tessera.test.minilm", "target/minilm"));
        for (Path f : new Path[] {minilm.resolve("all-minilm-l6-v2-q.onnx")}) {
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
