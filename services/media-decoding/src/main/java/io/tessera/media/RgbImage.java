package io.tessera.media;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Objects;

/**
 * A decoded picture as the embedding runtime wants it: 8-bit RGB, interleaved, row-major, no padding,
 * no alpha ({@code rgb[(y * width + x) * 3 + c]}, c = 0 red, 1 green, 2 blue).
 */
public record RgbImage(int width, int height, byte[] rgb) {

    public RgbImage {
        Objects.requireNonNull(rgb, "rgb");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, was " + width + "x" + height);
        }
        if (rgb.length != Math.multiplyExact(Math.multiplyExact(width, height), 3)) {
            throw new IllegalArgumentException("rgb must hold width*height*3 = " + (long) width * height * 3
                    + " bytes, has " + rgb.length);
        }
    }

    /** The red, green and blue of one pixel packed as 0xRRGGBB (for tests and debugging). */
    public int rgbAt(int x, int y) {
        int i = (y * width + x) * 3;
        return (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | (rgb[i + 2] & 0xff);
    }

    /** A {@link BufferedImage#TYPE_3BYTE_BGR} copy, for Java2D code and for the runtime's BufferedImage entry point. */
    public BufferedImage toBufferedImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        return image;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RgbImage other && width == other.width && height == other.height
                && java.util.Arrays.equals(rgb, other.rgb);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + java.util.Arrays.hashCode(rgb);
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
