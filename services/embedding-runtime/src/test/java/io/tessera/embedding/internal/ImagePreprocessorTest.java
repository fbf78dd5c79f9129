package io.tessera.embedding.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessera.embedding.ImageInput;
import io.tessera.embedding.InvalidInputException;
import io.tessera.embedding.Pictures;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class ImagePreprocessorTest {
    private static final double[] MEAN = {0.48145466, 0.4578275, 0.40821073};
    private static final double[] STD = {0.26862954, 0.26130258, 0.27577711};
    private final ImagePreprocessor pre = new ImagePreprocessor(32, MEAN, STD);

    private static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(floats * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private float[] slot(FloatBuffer b, int index) {
        float[] out = new float[pre.floatsPerImage()];
        b.get(index * out.length, out);
        return out;
    }

    @Test
    void normalisesEachChannelIntoChwAtTheItemsSlot() {
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(255, 0, 128));
        g.fillRect(0, 0, 32, 32);
        g.dispose();
        FloatBuffer b = direct(2 * pre.floatsPerImage());
        pre.write(ImageInput.of(img), b, 1);
        float[] s = slot(b, 1);
        assertEquals((1.0 - MEAN[0]) / STD[0], s[0], 1e-6);
        assertEquals((0.0 - MEAN[1]) / STD[1], s[32 * 32], 1e-6);
        assertEquals((128 / 255.0 - MEAN[2]) / STD[2], s[2 * 32 * 32 + 100], 1e-6);
        assertEquals(0f, slot(b, 0)[0], "other slots untouched");
    }

    @Test
    void rgbBytesAtModelSizeAndTheSamePictureAsAnImageGiveIdenticalValues() {
        BufferedImage img = Pictures.shape(32, "star", Color.ORANGE, 0.4, 0.6, 0.5, Color.DARK_GRAY);
        FloatBuffer a = direct(pre.floatsPerImage());
        FloatBuffer b = direct(pre.floatsPerImage());
        pre.write(ImageInput.ofRgb(Pictures.rgb(img), 32, 32), a, 0);
        pre.write(ImageInput.of(img), b, 0);
        assertArrayEquals(slot(a, 0), slot(b, 0));
    }

    @Test
    void wideImagesAreCentreCroppedAndLargeOnesScaledDown() {
        // 640x320: blue left and right quarters, red centre half: after the centre crop only red remains.
        BufferedImage img = new BufferedImage(640, 320, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.BLUE);
        g.fillRect(0, 0, 640, 320);
        g.setColor(Color.RED);
        g.fillRect(160, 0, 320, 320);
        g.dispose();
        FloatBuffer b = direct(pre.floatsPerImage());
        pre.write(ImageInput.of(img), b, 0);
        float[] s = slot(b, 0);
        float red = (float) ((1.0 - MEAN[0]) / STD[0]);
        float noBlue = (float) ((0.0 - MEAN[2]) / STD[2]);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                assertEquals(red, s[y * 32 + x], 0.02, "red at " + x + "," + y);
                assertEquals(noBlue, s[2 * 1024 + y * 32 + x], 0.02, "no blue at " + x + "," + y);
            }
        }
    }

    @Test
    void transparentPixelsBecomeWhite() {
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_ARGB);
        FloatBuffer b = direct(pre.floatsPerImage());
        pre.write(ImageInput.of(img), b, 0);
        assertEquals((1.0 - MEAN[1]) / STD[1], slot(b, 0)[1024 + 500], 1e-6);
    }

    @Test
    void rgbBytesOfTheWrongLengthAreRejectedWithTheSizes() {
        InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidInputException.class,
                () -> ImageInput.ofRgb(new byte[10], 4, 4));
        assertEquals("RGB image of 4x4 needs 48 bytes, got 10", e.getMessage());
    }
}
