package io.tessera.media.internal;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import io.tessera.media.DecodeOptions;
import io.tessera.media.DecodedMedia;
import io.tessera.media.FetchedContent;
import io.tessera.media.MediaRejectedException;
import io.tessera.media.RejectReason;
import io.tessera.media.RgbImage;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Images through ImageIO (JDK PNG/GIF, TwelveMonkeys JPEG/WebP/BMP). The pixel cap is checked on the header alone,
 * and large images are subsampled by the reader while decoding, so neither a lying header nor a huge photo ever
 * costs its full-resolution memory. WebP pixels come from FFmpeg when it can (see {@link FfmpegImageDecoding}),
 * still after ImageIO has read and checked the header.
 *
 * <p>Truncation: a JPEG must reach its EOI marker ({@link JpegStructure}), a WebP its RIFF length; for the other
 * formats the decoders throw on missing data (PNG, BMP) or warn (GIF). What happens then is
 * {@link DecodeOptions#truncatedImages()}: rejected as {@link RejectReason#TRUNCATED} by default.
 */
public final class ImageDecoding {

    /** Formats accepted, by ImageIO format name; the JDK also has readers (TIFF, WBMP) we do not vouch for. */
    static final Set<String> FORMATS = Set.of("jpeg", "png", "webp", "gif", "bmp");

    /** 16 MP: 64 MB as the ARGB image the PNG reader produces. */
    static final long SUBSAMPLE_LOSSLESS_ABOVE_PIXELS = 16_000_000L;

    static {
        // Never spill image streams to temp files; content is already in memory and bounded.
        ImageIO.setUseCache(false);
        ImageIO.scanForPlugins();
    }

    private ImageDecoding() {
    }

    public static DecodedMedia.DecodedImage decode(FetchedContent content, DecodeOptions options)
            throws MediaRejectedException {
        byte[] bytes = content.bytes();
        try (ImageInputStream iis = new ByteArrayImageInputStream(bytes)) {
            ImageReader reader = readerFor(iis, content);
            try {
                reader.setInput(iis, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                if (width <= 0 || height <= 0) {
                    throw new MediaRejectedException(RejectReason.CORRUPT_IMAGE, content.origin() + ": " + format
                            + " header declares " + width + "x" + height);
                }
                if ((long) width * height > options.maxImagePixels()) {
                    throw new MediaRejectedException(RejectReason.PIXEL_LIMIT, content.origin() + ": " + format
                            + " of " + width + "x" + height + " = " + (long) width * height
                            + " pixels exceeds the limit of " + options.maxImagePixels());
                }
                ImageReadParam param = reader.getDefaultReadParam();
                int step = subsampling(format, width, height, options.imageTargetShortSide());
                if (step > 1) {
                    param.setSourceSubsampling(step, step, 0, 0);
                }
                List<String> warnings = new ArrayList<>();
                boolean truncated = JpegStructure.isJpeg(bytes) ? !JpegStructure.reachesEndOfImage(bytes)
                        : format.equals("webp") && isTruncatedRiff(bytes);
                if (truncated && options.truncatedImages() == DecodeOptions.TruncatedImagePolicy.REJECT) {
                    throw truncatedError(content, format, bytes, warnings);
                }
                RgbImage rgb = format.equals("webp") && !truncated
                        ? FfmpegImageDecoding.decode(bytes, "webp_pipe", ceilDiv(width, step), ceilDiv(height, step))
                                .orElse(null)
                        : null;
                if (rgb == null) {
                    reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                    rgb = Pixels.toRgb(reader.read(0, param));
                    truncated |= warnings.stream().anyMatch(ImageDecoding::soundsTruncated);
                }
                if (truncated && options.truncatedImages() == DecodeOptions.TruncatedImagePolicy.REJECT) {
                    throw truncatedError(content, format, bytes, warnings);
                }
                return new DecodedMedia.DecodedImage(new DecodedMedia.ContentInfo(bytes.length, content.sha256()),
                        rgb, width, height, format, truncated);
            } finally {
                reader.dispose();
            }
        } catch (MediaRejectedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Decoders signal damaged data with IIOException, but also with ArrayIndexOutOfBounds & co.
            boolean eof = hasCause(e, EOFException.class);
            throw new MediaRejectedException(eof ? RejectReason.TRUNCATED : RejectReason.CORRUPT_IMAGE,
                    content.origin() + ": the image cannot be decoded: " + describe(e), e);
        }
    }

    private static MediaRejectedException truncatedError(FetchedContent content, String format, byte[] bytes,
                                                         List<String> warnings) {
        return new MediaRejectedException(RejectReason.TRUNCATED, content.origin() + ": the " + format
                + " data ends before the end of the image (" + bytes.length + " bytes"
                + (warnings.isEmpty() ? "" : "; decoder: " + String.join("; ", warnings))
                + "); resend the complete file");
    }

    /** A RIFF container (WebP) whose header declares more bytes than there are. */
    static boolean isTruncatedRiff(byte[] b) {
        if (b.length < 12 || b[0] != 'R' || b[1] != 'I' || b[2] != 'F' || b[3] != 'F') {
            return false;
        }
        long declared = (b[4] & 0xffL) | (b[5] & 0xffL) << 8 | (b[6] & 0xffL) << 16 | (b[7] & 0xffL) << 24;
        return declared + 8 > b.length;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static ImageReader readerFor(ImageInputStream iis, FetchedContent content)
            throws MediaRejectedException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
        List<String> found = new ArrayList<>();
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            try {
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                if (FORMATS.contains(format)) {
                    return reader;
                }
                found.add(format);
            } catch (IOException e) {
                found.add("?");
            }
            reader.dispose();
        }
        byte[] bytes = content.bytes();
        String head = HexFormat.of().formatHex(bytes, 0, Math.min(8, bytes.length));
        throw new MediaRejectedException(RejectReason.UNSUPPORTED_FORMAT, content.origin() + " is not a JPEG, PNG,"
                + " WebP, GIF or BMP image (" + (found.isEmpty() ? "unknown format" : "format " + found)
                + ", first bytes " + head + ")");
    }

    /**
     * Largest integer step that keeps the shorter side at or above the target (the runtime then resizes): the reader
     * keeps pixels 0, step, 2 x step... of each row and column, {@code ceil(side / step)} of them.
     * The JDK's PNG/GIF/BMP readers take a slow per-pixel path when subsampling (a 1080p PNG: ~130 ms full,
     * ~300 ms subsampled, measured by DecodeBenchmarkTest), so those are subsampled only when their full size would
     * cost real memory; JPEG and WebP are subsampled whenever it helps (as fast or faster, and smaller).
     */
    static int subsampling(String format, int width, int height, int targetShortSide) {
        if (targetShortSide <= 0) {
            return 1;
        }
        boolean lossless = format.equals("png") || format.equals("gif") || format.equals("bmp");
        if (lossless && (long) width * height <= SUBSAMPLE_LOSSLESS_ABOVE_PIXELS) {
            return 1;
        }
        int shortSide = Math.min(width, height);
        if (targetShortSide == 1) {
            return shortSide;
        }
        // ceil(shortSide / step) >= target  <=>  step <= (shortSide - 1) / (target - 1)
        return Math.max(1, (shortSide - 1) / (targetShortSide - 1));
    }

    private static boolean soundsTruncated(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        return w.contains("premature") || w.contains("truncat") || w.contains("end of")
                || w.contains("missing") && w.contains("data");
    }

    static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (!sb.isEmpty()) {
                sb.append(" <- ");
            }
            sb.append(c.getClass().getSimpleName());
            if (c.getMessage() != null) {
                sb.append(": ").append(c.getMessage());
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return sb.toString();
    }
}
