package io.tessera.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessera.embedding.internal.OrtRuntime;
import io.tessera.models.tiny.TinyTestModels;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CPU and CUDA give the same vectors. Runs where the CUDA provider is built in (-Pcuda) and a GPU answers. */
class CudaParityTest {

    @Test
    void cpuAndCudaAgree() {
        assumeTrue(OrtRuntime.cudaCompiledIn(), "skipped: this ONNX Runtime build has no CUDA provider"
                + " (run with -Pcuda on a machine with an NVIDIA GPU)");
        try (EmbeddingRuntime gpu = EmbeddingRuntime.start(TinyTestModels.tiny(), TestModels.cpu()
                .withDevice(Device.CUDA))) {
            assumeTrue(gpu.executionProvider().equals("CUDA"),
                    "skipped: the CUDA provider is built in but no GPU could be used here (see the log)");
            try (EmbeddingRuntime cpu = EmbeddingRuntime.start(TinyTestModels.tiny(), TestModels.cpu())) {
                List<ImageInput> images = new ArrayList<>();
                String[] shapes = Pictures.SHAPES;
                for (int i = 0; i < shapes.length; i++) {
                    images.add(ImageInput.of(Pictures.shape(200, shapes[i], new Color(40 * i, 200 - 20 * i, 90),
                            0.2 + 0.08 * i, 0.7 - 0.05 * i, 0.3, Color.WHITE)));
                }
                List<TextInput> texts = List.of(TextInput.of("a red circle at the top left"),
                        TextInput.of("quarterly report, page two, bar chart", "document"));
                compare(cpu.embedImages(images), gpu.embedImages(images), "image");
                compare(cpu.embedTexts(texts), gpu.embedTexts(texts), "text");
            }
        }
    }

    private static void compare(List<Embedding> cpu, List<Embedding> gpu, String what) {
        assertEquals(cpu.size(), gpu.size());
        double worst = 0;
        for (int i = 0; i < cpu.size(); i++) {
            float[] a = cpu.get(i).vector();
            float[] b = gpu.get(i).vector();
            for (int j = 0; j < a.length; j++) {
                worst = Math.max(worst, Math.abs(a[j] - b[j]));
            }
        }
        System.out.printf("cuda parity %s: largest |cpu - cuda| = %.3g%n", what, worst);
        assertEquals(0.0, worst, 1e-4, what + " embeddings differ between CPU and CUDA");
    }
}
