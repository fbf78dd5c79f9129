package io.tessera.media;

import io.tessera.media.internal.FfmpegEncoding;
import io.tessera.media.internal.Pixels;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Encodes pictures into every image format the decoder accepts, for generated test and demo media. JPEG, PNG, GIF
 * and BMP come from ImageIO; WebP from FFmpeg's libwebp (ImageIO has no WebP writer).
 */
public final class ImageEncoder {

    public enum Format { JPEG, PNG, WEBP, GIF, BMP }

    private ImageEncoder() {
    }

    public static byte[] encode(BufferedImage image, Format format) throws IOException {
        return switch (format) {
            case JPEG -> jpeg(image, 0.9f);
            case PNG -> imageIo(image, "png");
            case GIF -> imageIo(image, "gif");
            case BMP -> imageIo(rgb(image), "bmp");
            case WEBP -> webp(image, 90);
        };
    }

    /** @param quality 0..1 */
    public static byte[] jpeg(BufferedImage image, float quality) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IOException("no JPEG writer registered");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(rgb(image), null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** Lossy WebP through libwebp. @param quality 0..100 */
    public static byte[] webp(BufferedImage image, int quality) throws IOException {
        return FfmpegEncoding.webp(Pixels.toRgb(image), quality);
    }

    private static byte[] imageIo(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out)) {
            throw new IOException("no ImageIO writer for " + format + " accepts a " + image.getType() + " image");
        }
        return out.toByteArray();
    }

    /** JPEG and BMP writers reject alpha: flatten first. */
    private static BufferedImage rgb(BufferedImage image) {
        return image.getColorModel().hasAlpha() ? Pixels.toRgb(image).toBufferedImage() : image;
    }
}
