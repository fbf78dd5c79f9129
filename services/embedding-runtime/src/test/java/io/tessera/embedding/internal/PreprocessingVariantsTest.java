package io.tessera.embedding.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessera.embedding.ImageInput;
import io.tessera.embedding.model.ModelManifest;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/** The preprocessing variants of format 2: squash, letterbox, shortest edge above the crop, rescale, BGR. */
class PreprocessingVariantsTest {
    private static final double[] ZERO = {0, 0, 0};
    private static final double[] ONE = {1, 1, 1};

    /** 64x32: left half red, right half blue. */
    private static BufferedImage halves() {
        BufferedImage img = new BufferedImage(64, 32, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 32, 32);
        g.setColor(Color.BLUE);
        g.fillRect(32, 0, 32, 32);
        g.dispose();
        return img;
    }

    private static float[] run(ImagePreprocessor p, BufferedImage img) {
        FloatBuffer b = ByteBuffer.allocateDirect(p.floatsPerImage() * 4).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        p.write(ImageInput.of(img), b, 0);
        float[] out = new float[p.floatsPerImage()];
        b.get(0, out);
        return out;
    }

    /** The value of channel c at (x, y) of a size x size CHW image. */
    private static float at(float[] chw, int size, int c, int x, int y) {
        return chw[c * size * size + y * size + x];
    }

    @Test
    void squashKeepsBothHalvesSideBySide() {
        var p = new ImagePreprocessor(16, ModelManifest.Resize.SQUASH, 16, 1.0 / 255, ZERO, ONE, false);
        float[] v = run(p, halves());
        assertEquals(1f, at(v, 16, 0, 2, 8), 0.01, "red on the left");
        assertEquals(1f, at(v, 16, 2, 13, 8), 0.01, "blue on the right");
    }

    @Test
    void centreCropOfAWidePictureSeesTheMiddleOnly() {
        var p = new ImagePreprocessor(16, ModelManifest.Resize.SHORTEST_EDGE_CENTER_CROP, 16, 1.0 / 255, ZERO, ONE,
                false);
        float[] v = run(p, halves());
        // The centre square spans x = 16..48: red on its left half, blue on its right.
        assertEquals(1f, at(v, 16, 0, 1, 8), 0.01);
        assertEquals(1f, at(v, 16, 2, 14, 8), 0.01);
    }

    @Test
    void letterboxPadsAboveAndBelowWithBlack() {
        var p = new ImagePreprocessor(16, ModelManifest.Resize.LETTERBOX, 16, 1.0 / 255, ZERO, ONE, false);
        float[] v = run(p, halves());
        // 64x32 fits as 16x8, centred: rows 4..11 hold the picture, the rest is black.
        assertEquals(0f, at(v, 16, 0, 2, 1), 0.01, "padding");
        assertEquals(1f, at(v, 16, 0, 2, 8), 0.01, "picture");
        assertEquals(0f, at(v, 16, 2, 13, 14), 0.01, "padding");
    }

    @Test
    void aLargerShortestEdgeZoomsIntoTheCentre() {
        // Shortest edge 64 then a crop of 16 keeps the middle quarter of the 32-pixel height: x 24..40 of the
        // original, i.e. red then blue around the boundary at 32.
        var p = new ImagePreprocessor(16, ModelManifest.Resize.SHORTEST_EDGE_CENTER_CROP, 64, 1.0 / 255, ZERO, ONE,
                false);
        float[] v = run(p, halves());
        assertEquals(1f, at(v, 16, 0, 1, 8), 0.05);
        assertEquals(1f, at(v, 16, 2, 14, 8), 0.05);
    }

    @Test
    void rescaleMeanStdAndBgrOrderAsAnImageNetCnnWantsThem() {
        // EfficientNet-Lite: (x - 127) / 128 on 0..255 values; BGR puts blue in the first plane.
        var p = new ImagePreprocessor(16, ModelManifest.Resize.SQUASH, 16, 1.0, new double[] {127, 127, 127},
                new double[] {128, 128, 128}, true);
        BufferedImage red = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = red.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 16, 16);
        g.dispose();
        float[] v = run(p, red);
        assertEquals((0 - 127) / 128f, at(v, 16, 0, 5, 5), 1e-6, "plane 0 is blue");
        assertEquals((255 - 127) / 128f, at(v, 16, 2, 5, 5), 1e-6, "plane 2 is red");
    }
}
