package io.tessera.media.internal;

import io.tessera.media.RgbImage;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;

/** BufferedImage (any type) to packed RGB, with transparency composited over white; grey and downscaling for OCR. */
public final class Pixels {

    private Pixels() {
    }

    public static RgbImage toRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] rgb = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
        if (isPlain(image, BufferedImage.TYPE_3BYTE_BGR, w * h * 3)) {
            byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < rgb.length; i += 3) {
                rgb[i] = bgr[i + 2];
                rgb[i + 1] = bgr[i + 1];
                rgb[i + 2] = bgr[i];
            }
            return new RgbImage(w, h, rgb);
        }
        if (isPlain(image, BufferedImage.TYPE_INT_RGB, w * h)) {
            int[] px = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
            for (int p = 0, i = 0; p < px.length; p++, i += 3) {
                int v = px[p];
                rgb[i] = (byte) (v >> 16);
                rgb[i + 1] = (byte) (v >> 8);
                rgb[i + 2] = (byte) v;
            }
            return new RgbImage(w, h, rgb);
        }
        // Everything else (indexed, grey, 16-bit, alpha, CMYK converted by the reader): let Java2D convert.
        // Transparent pixels become white, as a viewer on a white page shows them, rather than whatever
        // colour happens to be stored under alpha 0 (often black).
        BufferedImage bgrImage = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = bgrImage.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return toRgb(bgrImage);
    }

    /**
     * 8-bit luminance with Rec. 601 weights (as Leptonica turns colour into grey), transparency over white. OCR reads
     * grey anyway; sending it grey makes the engine's input a third of the RGB size.
     */
    static byte[] gray(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (isPlain(image, BufferedImage.TYPE_BYTE_GRAY, w * h)) {
            return ((DataBufferByte) image.getRaster().getDataBuffer()).getData().clone();
        }
        return gray(toRgb(image));
    }

    static byte[] gray(RgbImage image) {
        byte[] rgb = image.rgb();
        byte[] out = new byte[image.width() * image.height()];
        for (int p = 0, i = 0; p < out.length; p++, i += 3) {
            out[p] = (byte) ((77 * (rgb[i] & 0xff) + 150 * (rgb[i + 1] & 0xff) + 29 * (rgb[i + 2] & 0xff) + 128) >> 8);
        }
        return out;
    }

    /** The luminance of an RGB image as a {@link BufferedImage#TYPE_BYTE_GRAY} image. */
    static BufferedImage grayImage(RgbImage image) {
        BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] gray = gray(image);
        System.arraycopy(gray, 0, ((DataBufferByte) out.getRaster().getDataBuffer()).getData(), 0, gray.length);
        return out;
    }

    /** {@link #downscale(byte[], int, int, int, int, int)} of an RGB image. */
    static RgbImage downscale(RgbImage image, int width, int height) {
        if (image.width() == width && image.height() == height) {
            return image;
        }
        return new RgbImage(width, height, downscale(image.rgb(), image.width(), image.height(), 3, width, height));
    }

    /**
     * Box-filter resize of interleaved 8-bit samples: each output pixel is the mean of the source pixels it covers, so
     * thin strokes (text) fade rather than vanish or alias as they do with nearest or bilinear sampling at large
     * ratios. Meant for shrinking; a larger target repeats pixels.
     */
    static byte[] downscale(byte[] src, int w, int h, int channels, int tw, int th) {
        if (tw <= 0 || th <= 0) {
            throw new IllegalArgumentException("target size must be positive, was " + tw + "x" + th);
        }
        int[] xs = new int[tw];
        int[] xe = new int[tw];
        for (int x = 0; x < tw; x++) {
            xs[x] = (int) ((long) x * w / tw);
            xe[x] = Math.max(xs[x] + 1, (int) ((long) (x + 1) * w / tw));
        }
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(tw, th), channels)];
        long[] acc = new long[tw * channels];
        for (int ty = 0; ty < th; ty++) {
            int y0 = (int) ((long) ty * h / th);
            int y1 = Math.max(y0 + 1, (int) ((long) (ty + 1) * h / th));
            java.util.Arrays.fill(acc, 0);
            for (int y = y0; y < y1; y++) {
                int row = y * w * channels;
                for (int tx = 0; tx < tw; tx++) {
                    int a = tx * channels;
                    for (int x = xs[tx]; x < xe[tx]; x++) {
                        int s = row + x * channels;
                        for (int c = 0; c < channels; c++) {
                            acc[a + c] += src[s + c] & 0xff;
                        }
                    }
                }
            }
            int o = ty * tw * channels;
            for (int tx = 0; tx < tw; tx++) {
                long count = (long) (y1 - y0) * (xe[tx] - xs[tx]);
                for (int c = 0; c < channels; c++) {
                    out[o + tx * channels + c] = (byte) ((acc[tx * channels + c] + count / 2) / count);
                }
            }
        }
        return out;
    }

    /**
     * The largest size with the same aspect ratio and at most {@code maxPixels} pixels (the size itself when it fits).
     */
    static int[] fit(int w, int h, long maxPixels) {
        if ((long) w * h <= maxPixels) {
            return new int[] {w, h};
        }
        double s = Math.sqrt(maxPixels / ((double) w * h));
        int tw = Math.max(1, (int) Math.floor(w * s));
        int th = Math.max(1, (int) Math.floor(h * s));
        while ((long) tw * th > maxPixels && (tw > 1 || th > 1)) {
            if (tw >= th) {
                tw--;
            } else {
                th--;
            }
        }
        return new int[] {tw, th};
    }

    private static boolean isPlain(BufferedImage image, int type, int elements) {
        return image.getType() == type
                && image.getRaster().getSampleModelTranslateX() == 0
                && image.getRaster().getSampleModelTranslateY() == 0
                && image.getRaster().getDataBuffer().getNumBanks() == 1
                && image.getRaster().getDataBuffer().getSize() == elements;
    }
}
