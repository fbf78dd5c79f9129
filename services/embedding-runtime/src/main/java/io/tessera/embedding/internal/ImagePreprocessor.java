package io.tessera.embedding.internal;

import io.tessera.embedding.ImageInput;
import io.tessera.embedding.model.ModelManifest;
import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.FloatBuffer;

/**
 * Image preprocessing straight into a batch buffer, as a model's {@code preprocessor_config.json} describes it:
 * bring the picture to the model's square ({@link ModelManifest.Resize}: CLIP's shortest edge then centre crop,
 * SigLIP's squash, or a letterbox), scale by the rescale factor, normalise per channel, and write CHW floats in RGB or
 * BGR order at the item's slot.
 *
 * <p>Pixels never go through {@code getRGB}: the picture is drawn once into a reused {@code TYPE_3BYTE_BGR}
 * image of the target size (Java2D does the crop and the scaling in one draw, halving first for large
 * reductions, bilinear for the last step), whose byte raster is then normalised through per-channel lookup tables.
 * RGB bytes already at the target size are normalised directly when the resize would not change them. Transparent
 * pixels become white; letterbox padding is black.
 */
public final class ImagePreprocessor {
    private final int size;
    private final ModelManifest.Resize mode;
    private final int shortestEdge;
    private final boolean bgr;
    /** lut[c][v]: the model's value for byte v in the model's channel c (after any RGB/BGR swap). */
    private final float[][] lut = new float[3][256];
    private final ThreadLocal<Scratch> scratch;

    private static final class Scratch {
        final BufferedImage target;
        final float[] chw;
        /** The last RGB input's BGR copy, reused while inputs keep the same size (most batches: one camera). */
        BufferedImage bgr;

        Scratch(int size) {
            target = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
            chw = new float[3 * size * size];
        }
    }

    /** CLIP preprocessing: shortest edge {@code size}, centre crop, values {@code (v/255 - mean) / std}, RGB. */
    public ImagePreprocessor(int size, double[] mean, double[] std) {
        this(size, ModelManifest.Resize.SHORTEST_EDGE_CENTER_CROP, size, 1.0 / 255.0, mean, std, false);
    }

    public ImagePreprocessor(ModelManifest.ImageTower tower) {
        this(tower.imageSize(), tower.resizeMode(), tower.resizeShortestEdge(), tower.rescale(), tower.mean(),
                tower.std(), tower.bgr());
    }

    public ImagePreprocessor(int size, ModelManifest.Resize mode, int shortestEdge, double rescale, double[] mean,
            double[] std, boolean bgr) {
        this.size = size;
        this.mode = mode;
        this.shortestEdge = Math.max(size, shortestEdge);
        this.bgr = bgr;
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                lut[c][v] = (float) ((v * rescale - mean[c]) / std[c]);
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

    /** Whether a square picture of the model's size goes in unchanged (no crop, no scaling). */
    private boolean identityAtSize() {
        return mode != ModelManifest.Resize.SHORTEST_EDGE_CENTER_CROP || shortestEdge == size;
    }

    /** Writes one image at slot {@code index} of a [N,3,size,size] buffer (absolute puts; position untouched). */
    public void write(ImageInput input, FloatBuffer batch, int index) {
        Scratch s = scratch.get();
        float[] chw = s.chw;
        int plane = size * size;
        // Planes in the model's order: RGB models take R first, BGR models take B first.
        int p0 = bgr ? 2 * plane : 0;
        int p2 = bgr ? 0 : 2 * plane;
        float[] l0 = lut[bgr ? 2 : 0];
        float[] l1 = lut[1];
        float[] l2 = lut[bgr ? 0 : 2];
        if (input instanceof ImageInput.Rgb rgb && rgb.width() == size && rgb.height() == size && identityAtSize()) {
            byte[] px = rgb.rgb();
            for (int i = 0, p = 0; i < plane; i++, p += 3) {
                chw[p0 + i] = l0[px[p] & 0xff];
                chw[plane + i] = l1[px[p + 1] & 0xff];
                chw[p2 + i] = l2[px[p + 2] & 0xff];
            }
        } else {
            BufferedImage src = input instanceof ImageInput.Image im ? im.image() : toBgr((ImageInput.Rgb) input, s);
            draw(src, s.target);
            byte[] raster = ((DataBufferByte) s.target.getRaster().getDataBuffer()).getData();
            for (int i = 0, p = 0; i < plane; i++, p += 3) {
                chw[p0 + i] = l0[raster[p + 2] & 0xff];
                chw[plane + i] = l1[raster[p + 1] & 0xff];
                chw[p2 + i] = l2[raster[p] & 0xff];
            }
        }
        batch.put(index * chw.length, chw);
    }

    /** The picture as the TYPE_3BYTE_BGR image Java2D draws fastest, in this thread's reused image when it fits. */
    private static BufferedImage toBgr(ImageInput.Rgb rgb, Scratch s) {
        BufferedImage img = s.bgr;
        if (img == null || img.getWidth() != rgb.width() || img.getHeight() != rgb.height()) {
            img = new BufferedImage(rgb.width(), rgb.height(), BufferedImage.TYPE_3BYTE_BGR);
            // Kept only up to 4 MP (12 MB): one huge picture should not pin its copy to a batch thread.
            s.bgr = (long) rgb.width() * rgb.height() <= 4_000_000L ? img : null;
        }
        byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        byte[] src = rgb.rgb();
        for (int p = 0; p < src.length; p += 3) {
            dst[p] = src[p + 2];
            dst[p + 1] = src[p + 1];
            dst[p + 2] = src[p];
        }
        return img;
    }

    /** Draws the part of {@code src} the resize mode keeps onto the part of {@code target} it fills. */
    private void draw(BufferedImage src, BufferedImage target) {
        int w = src.getWidth();
        int h = src.getHeight();
        int sx = 0;
        int sy = 0;
        int sw = w;
        int sh = h;
        int dx = 0;
        int dy = 0;
        int dw = size;
        int dh = size;
        switch (mode) {
            case SHORTEST_EDGE_CENTER_CROP -> {
                // Resizing the shorter side to shortestEdge then cropping size is the same as cropping the
                // centre square of side min(w,h)*size/shortestEdge and scaling it to size: one draw instead of two.
                int side = Math.max(1, (int) Math.round((double) Math.min(w, h) * size / shortestEdge));
                sw = side;
                sh = side;
                sx = (w - side) / 2;
                sy = (h - side) / 2;
            }
            case SQUASH -> { }
            case LETTERBOX -> {
                double scale = (double) size / Math.max(w, h);
                dw = Math.max(1, (int) Math.round(w * scale));
                dh = Math.max(1, (int) Math.round(h * scale));
                dx = (size - dw) / 2;
                dy = (size - dh) / 2;
            }
        }
        // One bilinear step from far above the target size aliases; halve (bilinear on exact halves is a 2x2 box
        // filter) until within 2x, then one bilinear step. Bicubic (CLIP's resample=3) costs several ms a picture
        // in Java2D for no visible gain at these sizes.
        while (sw >= 2 * dw + 2 && sh >= 2 * dh + 2) {
            int hw = sw / 2;
            int hh = sh / 2;
            BufferedImage smaller = new BufferedImage(hw, hh, BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D g = smaller.createGraphics();
            try {
                g.setColor(Color.WHITE);
                g.fillRect(0, 0, hw, hh);
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(src, 0, 0, hw, hh, sx, sy, sx + sw, sy + sh, null);
            } finally {
                g.dispose();
            }
            src = smaller;
            sw = hw;
            sh = hh;
            sx = 0;
            sy = 0;
        }
        Graphics2D g = target.createGraphics();
        try {
            g.setComposite(AlphaComposite.Src);
            g.setColor(Color.BLACK);
            g.fillRect(0, 0, size, size);
            g.setColor(Color.WHITE);
            g.fillRect(dx, dy, dw, dh);
            g.setComposite(AlphaComposite.SrcOver);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, sw == dw && sh == dh
                    ? RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(src, dx, dy, dx + dw, dy + dh, sx, sy, sx + sw, sy + sh, null);
        } finally {
            g.dispose();
        }
    }
}
