package io.tessera.embedding.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.TestModels;
import io.tessera.models.tiny.TinyTestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelDirectoryTest {

    /** A private copy of tessera-tiny to damage. */
    private static Path copyOfTiny() throws Exception {
        ModelDirectory tiny = TinyTestModels.tiny();
        Path dir = TestModels.freshDir("damaged");
        LocalModelStore.copyFiles(tiny.root(), dir, tiny.manifest().files());
        Files.copy(tiny.root().resolve(ModelManifest.FILE_NAME), dir.resolve(ModelManifest.FILE_NAME));
        return dir;
    }

    private static void assertMessage(ModelLoadException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message should contain '" + p + "': " + e.getMessage());
        }
        assertTrue(!e.isRetriable(), "a broken model is not retriable");
    }

    @Test
    void intactModelOpens() {
        ModelDirectory dir = ModelDirectory.open(TinyTestModels.tiny().root());
        assertEquals("tessera-tiny", dir.ref().name());
        assertTrue(dir.manifest().files().containsKey("onnx/vision_model.onnx"));
        assertEquals(List.of("image_projection.weight"),
                dir.manifest().image().projections().stream().map(ModelManifest.Projection::initializer).toList());
    }

    @Test
    void changedBytesGiveAChecksumMismatchNamingTheFile() throws Exception {
        Path dir = copyOfTiny();
        byte[] b = Files.readAllBytes(dir.resolve("onnx/vision_model.onnx"));
        b[b.length / 2] ^= 0x5a;
        Files.write(dir.resolve("onnx/vision_model.onnx"), b);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelDirectory.open(dir));
        assertMessage(e, "checksum mismatch for onnx/vision_model.onnx", "tessera-tiny/1");
    }

    @Test
    void missingFileIsNamed() throws Exception {
        Path dir = copyOfTiny();
        Files.delete(dir.resolve("tokenizer.json"));
        assertMessage(assertThrows(ModelLoadException.class, () -> ModelDirectory.open(dir)),
                "missing file tokenizer.json");
    }

    @Test
    void missingManifestSaysSo() throws Exception {
        Path dir = copyOfTiny();
        Files.delete(dir.resolve(ModelManifest.FILE_NAME));
        assertMessage(assertThrows(ModelLoadException.class, () -> ModelDirectory.open(dir)),
                "has no tessera-model.json");
    }

    @Test
    void corruptGraphWithMatchingChecksumIsReportedAsNotOnnx() throws Exception {
        Path dir = copyOfTiny();
        Files.write(dir.resolve("onnx/text_model.onnx"), "this is not a protobuf at all".repeat(10).getBytes());
        ModelManifest m = ModelDirectory.open(TinyTestModels.tiny().root()).manifest();
        assertMessage(assertThrows(ModelLoadException.class, () -> ModelDirectory.seal(dir, m)),
                "onnx/text_model.onnx is not a valid ONNX model");
    }

    @Test
    void aNameTheGraphLacksIsNamedWithWhatTheGraphHas() throws Exception {
        Path dir = copyOfTiny();
        ModelManifest m = TinyTestModels.tiny().manifest();
        ModelManifest.ImageTower t = m.image();
        ModelManifest wrongOutput = new ModelManifest(m.format(), m.name(), m.version(), m.dimension(), null,
                m.description(), new ModelManifest.ImageTower(t.file(), t.input(), "image_embedz", t.projections(),
                        t.imageSize(), t.mean(), t.std()), m.text(), m.instructions(), m.defaultTask(), Map.of());
        assertMessage(assertThrows(ModelLoadException.class, () -> ModelDirectory.seal(dir, wrongOutput)),
                "has no output named 'image_embedz'", "image_embeds");

        ModelManifest wrongProjection = new ModelManifest(m.format(), m.name(), m.version(), m.dimension(), null,
                m.description(), new ModelManifest.ImageTower(t.file(), t.input(), t.output(),
                        List.of(new ModelManifest.Projection("visual_projection.weight", "image_features",
                                t.projections().get(0).inputDimension())),
                        t.imageSize(), t.mean(), t.std()), m.text(), m.instructions(), m.defaultTask(), Map.of());
        assertMessage(assertThrows(ModelLoadException.class, () -> ModelDirectory.seal(dir, wrongProjection)),
                "has no initializer named 'visual_projection.weight'");

        ModelManifest.TextTower x = m.text();
        ModelManifest wrongInput = new ModelManifest(m.format(), m.name(), m.version(), m.dimension(), null,
                m.description(), m.image(), new ModelManifest.TextTower(x.file(), x.tokenizer(), "input_idz",
                        x.attentionMask(), x.output(), x.projections(), x.maxLength(), x.padToMaxLength()),
                m.instructions(), m.defaultTask(), Map.of());
        assertMessage(assertThrows(ModelLoadException.class, () -> ModelDirectory.seal(dir, wrongInput)),
                "has no input named 'input_idz'");

        ModelManifest wrongDimension = new ModelManifest(m.format(), m.name(), m.version(), 128, null,
                m.description(), m.image(), m.text(), m.instructions(), m.defaultTask(), Map.of());
        assertMessage(assertThrows(ModelLoadException.class, () -> ModelDirectory.seal(dir, wrongDimension)),
                "image_projection.weight", "has shape [256, ");
    }

    @Test
    void aGraphOnnxRuntimeRejectsFailsTheLoadWithTheFileName() throws Exception {
        Path dir = copyOfTiny();
        var proto = io.tessera.embedding.onnx.OnnxGraphs.parse(dir.resolve("onnx/vision_model.onnx"));
        var broken = proto.toBuilder().setGraph(proto.getGraph().toBuilder()
                .setNode(0, proto.getGraph().getNode(0).toBuilder().setOpType("NoSuchOperator"))).build();
        Files.write(dir.resolve("onnx/vision_model.onnx"), broken.toByteArray());
        ModelDirectory sealed = ModelDirectory.seal(dir, TinyTestModels.tiny().manifest());
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> EmbeddingRuntime.start(sealed, TestModels.cpu()).close());
        assertMessage(e, "ONNX Runtime rejects onnx/vision_model.onnx");
    }
}
