package io.tessera.embedding.internal;

import io.tessera.embedding.ImageInput;
import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.FloatBuffer;

/**
 * CLIP preprocessing straight into a batch buffer: resize so the shorter side is the model's size, centre-crop a
 * square, scale to [0,1], normalise per channel, and write CHW floats at the item's slot.
 *
 * <p>Pixels never go through {@code getRGB}: the picture is drawn once into a reused {@code TYPE_3BYTE_BGR}
 * image of the target size (Java2D does the crop and the scaling in one draw, halving first for large
 * reductions, bilinear for the last step), whose byte raster is then normalised through per-channel lookup tables.
 * RGB bytes already at the target size are normalised directly. Transparent pixels become white.
 */
public final class ImagePreprocessor {
    private final int size;
    private final float[][] lut = new float[3][256];
    private final ThreadLocal<Scratch> scratch;

    private static final class Scratch {
        final BufferedImage target;
        final float[] chw;

        Scratch(int size) {
            target = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
            chw = new float[3 * size * size];
        }
    }

    public ImagePreprocessor(int size, double[] mean, double[] std) {
        this.size = size;
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                lut[c][v] = (float) ((v / 255.0 - mean[c]) / std[c]);
            }
        }
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(size));
    }

    public int size() {
        return size;
    }

    public int floatsPerImage() {
        return 3 * size * size;
    }

    /** Writes one image at slot {@code index} of a [N,3,size,size] buffer (absolute puts; position untouched). */
    public void write(ImageInput input, FloatBuffer batch, int index) {
        Scratch s = scratch.get();
        float[] chw = s.chw;
        int plane = size * size;
        if (input instanceof ImageInput.Rgb rgb && rgb.width() == size && rgb.height() == size) {
            byte[] px = rgb.rgb();
            float[] r = lut[0];
            float[] g = lut[1];
            float[] b = lut[2];
            for (int i = 0, p = 0; i < plane; i++, p += 3) {
                chw[i] = r[px[p] & 0xff];
                chw[plane + i] = g[px[p + 1] & 0xff];
                chw[2 * plane + i] = b[px[p + 2] & 0xff];
            }
        } else {
            BufferedImage src = input instanceof ImageInput.Image im ? im.image() : toBgr((ImageInput.Rgb) input);
            drawCropped(src, s.target);
            byte[] bgr = ((DataBufferByte) s.target.getRaster().getDataBuffer()).getData();
            float[] r = lut[0];
            float[] g = lut[1];
            float[] b = lut[2];
            for (int i = 0, p = 0; i < plane; i++, p += 3) {
                chw[i] = r[bgr[p + 2] & 0xff];
                chw[plane + i] = g[bgr[p + 1] & 0xff];
                chw[2 * plane + i] = b[bgr[p] & 0xff];
            }
        }
        batch.put(index * chw.length, chw);
    }

    private static BufferedImage toBgr(ImageInput.Rgb rgb) {
        BufferedImage img = new BufferedImage(rgb.width(), rgb.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        byte[] src = rgb.rgb();
        for (int p = 0; p < src.length; p += 3) {
            dst[p] = src[p + 2];
            dst[p + 1] = src[p + 1];
            dst[p + 2] = src[p];
        }
        return img;
    }

    private void drawCropped(BufferedImage src, BufferedImage target) {
        int w = src.getWidth();
        int h = src.getHeight();
        int side = Math.min(w, h);
        int sx = (w - side) / 2;
        int sy = (h - side) / 2;
        // One bilinear step from far above the target size aliases; halve (bilinear on exact halves is a 2x2 box
        // filter) until within 2x, then one bilinear step. Bicubic (CLIP's resample=3) costs several ms a picture
        // in Java2D for no visible gain at these sizes.
        while (side >= 2 * size + 2) {
            int half = side / 2;
            BufferedImage smaller = new BufferedImage(half, half, BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D g = smaller.createGraphics();
            try {
                g.setColor(Color.WHITE);
                g.fillRect(0, 0, half, half);
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(src, 0, 0, half, half, sx, sy, sx + side, sy + side, null);
            } finally {
                g.dispose();
            }
            src = smaller;
            side = half;
            sx = 0;
            sy = 0;
        }
        Graphics2D g = target.createGraphics();
        try {
            g.setComposite(AlphaComposite.Src);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, size, size);
            g.setComposite(AlphaComposite.SrcOver);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, side == size
                    ? RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(src, 0, 0, size, size, sx, sy, sx + side, sy + side, null);
        } finally {
            g.dispose();
        }
    }
}
