package io.tessera.indexer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.embedding.model.ModelManifest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which short side pictures are decoded to for a model (the subsampling step itself: ImageDecodingInternalsTest). */
class ModelDecodeOptionsTest {

    private static ModelManifest.ImageTower tower(int size, ModelManifest.Resize resize, Integer shortestEdge) {
        double[] half = {0.5, 0.5, 0.5};
        return new ModelManifest.ImageTower("image.onnx", "pixel_values", "embedding", List.of(), size, half, half,
                resize, shortestEdge, null, null, null, null, null);
    }

    @Test
    void picturesAreDecodedToFourTimesTheSideTheModelResizesTo() {
        // CLIP: shortest edge = crop = 224.
        assertThat(ModelDecodeOptions.imageTarget(4096, tower(224, null, null))).isEqualTo(4 * 224);
        // ImageNet CNNs (tessera-base): shortest edge 256, then a 224 crop.
        assertThat(ModelDecodeOptions.imageTarget(4096, tower(224, ModelManifest.Resize.SHORTEST_EDGE_CENTER_CROP,
                256))).isEqualTo(4 * 256);
        // Squash and letterbox bring both axes to the input size whatever shortestEdge says.
        assertThat(ModelDecodeOptions.imageTarget(4096, tower(384, ModelManifest.Resize.SQUASH, 512)))
                .isEqualTo(4 * 384);
        assertThat(ModelDecodeOptions.imageTarget(4096, tower(224, ModelManifest.Resize.LETTERBOX, null)))
                .isEqualTo(4 * 224);
    }

    @Test
    void theConfiguredTargetStaysTheUpperBoundAndZeroKeepsFullResolution() {
        assertThat(ModelDecodeOptions.imageTarget(200, tower(224, null, null))).isEqualTo(200);
        // The default (1024) is exactly 4 x tessera-base's 256.
        assertThat(ModelDecodeOptions.imageTarget(io.tessera.media.DecodeOptions.defaults().imageTargetShortSide(),
                tower(224, ModelManifest.Resize.SHORTEST_EDGE_CENTER_CROP, 256))).isEqualTo(1024);
        assertThat(ModelDecodeOptions.imageTarget(0, tower(224, null, null))).isZero();
        assertThat(ModelDecodeOptions.imageTarget(448, null)).isEqualTo(448);
    }
}
