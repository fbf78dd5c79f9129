package io.tessera.media.internal;

import io.tessera.media.RgbImage;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;

/** BufferedImage (any type) to packed RGB, with transparency composited over white. */
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

    private static boolean isPlain(BufferedImage image, int type, int elements) {
        return image.getType() == type
                && image.getRaster().getSampleModelTranslateX() == 0
                && image.getRaster().getSampleModelTranslateY() == 0
                && image.getRaster().getDataBuffer().getNumBanks() == 1
                && image.getRaster().getDataBuffer().getSize() == elements;
    }
}
