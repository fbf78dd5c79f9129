package io.tessera.media;

import static io.tessera.media.TestMedia.assertColorNear;
import static io.tessera.media.TestMedia.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class ImageDecodingTest {

    private static final MediaDecoder DECODER = new MediaDecoder(FetchConfig.defaults());
    private static final DecodeOptions OPTIONS = DecodeOptions.defaults();

    @AfterAll
    static void close() {
        DECODER.close();
    }

    private static DecodedMedia.DecodedImage decode(byte[] bytes, DecodeOptions options) throws MediaException {
        return (DecodedMedia.DecodedImage) DECODER.decode(MediaSource.bytes(bytes), Modality.IMAGE, options);
    }

    @ParameterizedTest
    @EnumSource(ImageEncoder.Format.class)
    void everyFormatDecodesToRgbWithTheRightColours(ImageEncoder.Format format) throws Exception {
        byte[] bytes = ImageEncoder.encode(TestMedia.halves(64, 48, Color.RED, Color.BLUE), format);

        DecodedMedia.DecodedImage image = decode(bytes, OPTIONS);

        assertEquals(64, image.image().width());
        assertEquals(48, image.image().height());
        assertEquals(format.name().toLowerCase(), image.format());
        assertFalse(image.truncated());
        int[] left = unpack(image.image().rgbAt(8, 24));
        int[] right = unpack(image.image().rgbAt(56, 24));
        assertColorNear(Color.RED, left, 40, format + " left half");
        assertColorNear(Color.BLUE, right, 40, format + " right half");
        assertEquals(image.image(), RgbImageRoundTrip.roundTrip(image.image()));
    }

    @Test
    void largeJpegIsSubsampledWhileDecodingToNearTheTarget() throws Exception {
        byte[] jpeg = ImageEncoder.encode(TestMedia.halves(2000, 1000, Color.GREEN, Color.GREEN),
                ImageEncoder.Format.JPEG);

        DecodedMedia.DecodedImage image = decode(jpeg, OPTIONS.toBuilder().imageTargetShortSide(224).build());

        // step = 1000 / 224 = 4: the short side stays >= 224 and the reader never holds 2 MP
        assertEquals(500, image.image().width());
        assertEquals(250, image.image().height());
        assertEquals(2000, image.sourceWidth());
        assertEquals(1000, image.sourceHeight());
    }

    @Test
    void transparentPixelsBecomeWhite() throws Exception {
        BufferedImage argb = new BufferedImage(10, 10, BufferedImage.TYPE_INT_ARGB); // all transparent black
        Graphics2D g = argb.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 5, 10);
        g.dispose();

        DecodedMedia.DecodedImage image = decode(ImageEncoder.encode(argb, ImageEncoder.Format.PNG), OPTIONS);

        assertEquals(0xFF0000, image.image().rgbAt(1, 1));
        assertEquals(0xFFFFFF, image.image().rgbAt(8, 1));
    }

    @Test
    void pngWhoseHeaderClaims50000x50000IsRejectedBeforeDecoding() {
        byte[] png = TestMedia.pngDeclaring(50_000, 50_000);

        MediaRejectedException e = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> assertRejected(RejectReason.PIXEL_LIMIT, () -> decode(png, OPTIONS)));

        assertTrue(e.getMessage().contains("50000x50000"), e.getMessage());
    }

    @Test
    void jpegWithDamagedHeaderIsCorrupt() {
        byte[] bytes = new byte[2000];
        System.arraycopy(TestMedia.randomBytes(2000, 7), 0, bytes, 0, 2000);
        bytes[0] = (byte) 0xFF;
        bytes[1] = (byte) 0xD8;
        bytes[2] = (byte) 0xFF;
        bytes[3] = (byte) 0xE0;

        assertRejected(RejectReason.CORRUPT_IMAGE, () -> decode(bytes, OPTIONS));
    }

    @Test
    void truncatedJpegIsRejectedByDefault() throws Exception {
        byte[] jpeg = ImageEncoder.jpeg(noise(320, 240), 0.9f);
        byte[] cut = Arrays.copyOf(jpeg, jpeg.length * 6 / 10);

        MediaRejectedException e = assertRejected(RejectReason.TRUNCATED, () -> decode(cut, OPTIONS));

        assertTrue(e.getMessage().contains("resend"), e.getMessage());
    }

    @Test
    void truncatedJpegIsDecodedAndFlaggedWhenThePolicyAcceptsIt() throws Exception {
        byte[] jpeg = ImageEncoder.jpeg(noise(320, 240), 0.9f);
        byte[] cut = Arrays.copyOf(jpeg, jpeg.length * 6 / 10);

        DecodedMedia.DecodedImage image = decode(cut, OPTIONS.toBuilder()
                .truncatedImages(DecodeOptions.TruncatedImagePolicy.ACCEPT_FLAGGED).build());

        assertTrue(image.truncated());
        assertEquals(320, image.image().width());
    }

    @Test
    void completeJpegWithTrailingBytesIsNotTruncated() throws Exception {
        byte[] jpeg = ImageEncoder.jpeg(noise(64, 64), 0.9f);
        byte[] padded = Arrays.copyOf(jpeg, jpeg.length + 100); // some cameras append data after EOI

        assertFalse(decode(padded, OPTIONS).truncated());
    }

    @Test
    void truncatedPngIsRejected() throws Exception {
        byte[] png = ImageEncoder.encode(noise(200, 200), ImageEncoder.Format.PNG);
        byte[] cut = Arrays.copyOf(png, png.length / 2);

        assertRejected(RejectReason.TRUNCATED, () -> decode(cut, OPTIONS));
    }

    @Test
    void truncatedWebpIsRejected() throws Exception {
        byte[] webp = ImageEncoder.webp(noise(200, 200), 80);
        byte[] cut = Arrays.copyOf(webp, webp.length / 2);

        assertRejected(RejectReason.TRUNCATED, () -> decode(cut, OPTIONS));
    }

    @Test
    void largeWebpIsDecodedStraightToTheSubsampledSize() throws Exception {
        byte[] webp = ImageEncoder.webp(TestMedia.halves(1200, 800, Color.RED, Color.BLUE), 90);

        DecodedMedia.DecodedImage image = decode(webp, OPTIONS.toBuilder().imageTargetShortSide(200).build());

        assertEquals(300, image.image().width()); // step 4
        assertEquals(200, image.image().height());
        assertColorNear(Color.RED, unpack(image.image().rgbAt(20, 100)), 40, "left");
        assertColorNear(Color.BLUE, unpack(image.image().rgbAt(280, 100)), 40, "right");
    }

    @Test
    void randomBytesAreAnUnsupportedFormat() {
        assertRejected(RejectReason.UNSUPPORTED_FORMAT, () -> decode(TestMedia.randomBytes(5000, 1), OPTIONS));
    }

    @Test
    void aPdfIsNotAnImage() throws Exception {
        byte[] pdf = TestMedia.pdf(java.util.List.of("x"), org.apache.pdfbox.pdmodel.common.PDRectangle.A6);

        assertRejected(RejectReason.UNSUPPORTED_FORMAT, () -> decode(pdf, OPTIONS));
    }

    static BufferedImage noise(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(42);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }

    private static int[] unpack(int rgb) {
        return new int[] {rgb >> 16 & 0xff, rgb >> 8 & 0xff, rgb & 0xff};
    }

    /** RgbImage -> BufferedImage -> RgbImage must be lossless. */
    static final class RgbImageRoundTrip {
        static RgbImage roundTrip(RgbImage image) {
            return io.tessera.media.internal.Pixels.toRgb(image.toBufferedImage());
        }
    }
}
