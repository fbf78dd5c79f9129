package io.tessera.media.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageDecodingInternalsTest {

    @Test
    void subsamplingKeepsTheShortSideAtOrAboveTheTarget() {
        assertEquals(4, ImageDecoding.subsampling("jpeg", 2000, 1000, 224));
        assertEquals(1, ImageDecoding.subsampling("jpeg", 300, 200, 224));
        assertEquals(1, ImageDecoding.subsampling("jpeg", 8000, 6000, 0));
        assertEquals(26, ImageDecoding.subsampling("webp", 8000, 6000, 224));
    }

    @Test
    void subsamplingTakesTheLargestStepWhoseDecodedShortSideStillReachesTheTarget() {
        // The reader keeps ceil(side / step) pixels: for every size and target, the step chosen keeps the short
        // side >= the target and one more step would not.
        for (int target : new int[] {224, 256, 336}) {
            for (int shortSide = target; shortSide <= 12 * target; shortSide += 7) {
                int step = ImageDecoding.subsampling("jpeg", shortSide + 100, shortSide, target);
                assertTrue(ceilDiv(shortSide, step) >= target, shortSide + " / " + step + " < " + target);
                assertTrue(ceilDiv(shortSide, step + 1) < target, shortSide + ": step " + (step + 1) + " also fits");
            }
        }
        // The bench's 640x480 photos for a model that resizes to 256 (tessera-base): already within 2x, kept whole.
        assertEquals(1, ImageDecoding.subsampling("jpeg", 640, 480, 256));
        // A 12 MP camera photo: 4000x3000 -> step 11, 364x273, rather than 2 (2000x1500) at twice the side.
        assertEquals(11, ImageDecoding.subsampling("jpeg", 4000, 3000, 256));
        assertEquals(512, ceilDiv(1024, ImageDecoding.subsampling("jpeg", 1024, 1024, 512)));
        assertEquals(5, ImageDecoding.subsampling("jpeg", 5, 5, 1));
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    @Test
    void losslessFormatsAreSubsampledOnlyWhenLarge() {
        assertEquals(1, ImageDecoding.subsampling("png", 1920, 1080, 224));
        assertEquals(26, ImageDecoding.subsampling("png", 8000, 6000, 224)); // 48 MP
        assertEquals(1, ImageDecoding.subsampling("gif", 4000, 4000, 224)); // exactly 16 MP
    }

    @Test
    void riffLengthTellsATruncatedWebp() {
        byte[] header = {'R', 'I', 'F', 'F', 20, 0, 0, 0, 'W', 'E', 'B', 'P'};
        assertTrue(ImageDecoding.isTruncatedRiff(header)); // declares 28 bytes, has 12
        assertFalse(ImageDecoding.isTruncatedRiff(java.util.Arrays.copyOf(header, 28)));
        assertFalse(ImageDecoding.isTruncatedRiff(new byte[] {1, 2, 3}));
    }

    @Test
    void jpegStructureWalkFindsEoiPastStuffedBytesAndRestartMarkers() {
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8,
            (byte) 0xFF, (byte) 0xE1, 0, 6, (byte) 0xFF, (byte) 0xD9, 0, 0, // APP1 containing a fake EOI
            (byte) 0xFF, (byte) 0xDA, 0, 2, // SOS
            1, (byte) 0xFF, 0, 2, (byte) 0xFF, (byte) 0xD0, 3, // data, stuffed FF00, RST0
            (byte) 0xFF, (byte) 0xD9};
        assertTrue(JpegStructure.reachesEndOfImage(jpeg));
        assertFalse(JpegStructure.reachesEndOfImage(java.util.Arrays.copyOf(jpeg, jpeg.length - 2)));
        assertFalse(JpegStructure.reachesEndOfImage(java.util.Arrays.copyOf(jpeg, 10))); // EOI inside APP1 only
    }

    @Test
    void mp4BoxWalkTellsTruncatedFromComplete() {
        byte[] boxes = {0, 0, 0, 12, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 0, 10, 'm', 'd', 'a', 't', 1, 2};
        assertTrue(Mp4Structure.isIsoBmff(boxes));
        assertFalse(Mp4Structure.isTruncated(boxes));
        assertTrue(Mp4Structure.isTruncated(java.util.Arrays.copyOf(boxes, 21)));
    }

    @Test
    void videoTargetSizeKeepsTheDisplayAspect() {
        assertArrayEquals(new int[] {398, 224}, VideoSampling.targetSize(640, 360, 1.0, 224));
        assertArrayEquals(new int[] {224, 398}, VideoSampling.targetSize(360, 640, 1.0, 224));
        assertArrayEquals(new int[] {299, 224}, VideoSampling.targetSize(720, 576, 16.0 / 15, 224)); // PAL 4:3
        assertArrayEquals(new int[] {896, 224}, VideoSampling.targetSize(10_000, 100, 1.0, 224)); // capped at 4:1
    }

    @Test
    void pageScaleDropsTheDpiForHugePages() {
        assertEquals(96 / 72f, PdfDecoding.scale(612, 792, 96, 4_000_000), 1e-6);
        float scale = PdfDecoding.scale(14_400, 14_400, 96, 4_000_000);
        assertEquals(2000, Math.round(14_400 * scale));
        assertEquals(0f, PdfDecoding.scale(0, 792, 96, 4_000_000));
    }

    @Test
    void seekOnlyWhenAKeyframeLiesBeforeTheTarget() {
        long unknown = Long.MIN_VALUE;
        assertFalse(VideoSampling.shouldSeek(0, 1_000_000, unknown, 0)); // GOP unknown, short gap: read on
        assertTrue(VideoSampling.shouldSeek(0, 3_000_000, unknown, 0)); // GOP unknown, long gap: seek
        assertTrue(VideoSampling.shouldSeek(1_000_000, 2_000_000, 1_000_000, 1_000_000)); // keyframe at 2 s
        assertFalse(VideoSampling.shouldSeek(1_000_000, 2_000_000, 0, 10_000_000)); // next keyframe at 10 s
        assertTrue(VideoSampling.shouldSeek(1_000_000, 12_000_000, 0, 10_000_000));
    }
}
