package io.tessera.media;

import static io.tessera.media.TestMedia.assertColorNear;
import static io.tessera.media.TestMedia.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VideoSamplingTest {

    private static final MediaDecoder DECODER = new MediaDecoder(FetchConfig.defaults());
    private static final DecodeOptions OPTIONS = DecodeOptions.defaults();
    /** 3.5 s, 24 fps (84 frames, so exactly 3500 ms), 320x240: one colour per second. Generated once per format. */
    private static final Map<VideoWriter.Format, byte[]> CLIPS = new EnumMap<>(VideoWriter.Format.class);

    @BeforeAll
    static void generateClips() throws Exception {
        for (VideoWriter.Format format : VideoWriter.Format.values()) {
            CLIPS.put(format, VideoWriter.encode(format, 24, TestMedia.secondsClip(320, 240, 24, 3.5)));
        }
    }

    @AfterAll
    static void close() {
        DECODER.close();
    }

    private static DecodedMedia.DecodedVideo decode(byte[] bytes, DecodeOptions options) throws MediaException {
        return (DecodedMedia.DecodedVideo) DECODER.decode(MediaSource.bytes(bytes), Modality.VIDEO, options);
    }

    private static long[] starts(DecodedMedia.DecodedVideo video) {
        return video.frames().stream().mapToLong(DecodedMedia.VideoFrame::startMs).toArray();
    }

    @ParameterizedTest
    @EnumSource(VideoWriter.Format.class)
    void clipOf3500MsAtOneSecondGivesFramesAt0_1000_2000_3000(VideoWriter.Format format) throws Exception {
        DecodedMedia.DecodedVideo video = decode(CLIPS.get(format), OPTIONS);

        assertEquals(List.of(0L, 1000L, 2000L, 3000L), Arrays.stream(starts(video)).boxed().toList());
        assertEquals(List.of(1000L, 2000L, 3000L, 3500L),
                video.frames().stream().map(DecodedMedia.VideoFrame::endMs).toList());
        assertEquals(List.of(false, true, true, true),
                video.frames().stream().map(DecodedMedia.VideoFrame::sceneCut).toList(), "a new colour each second");
        assertEquals(3500, video.durationMs());
        assertEquals(1000, video.intervalMs());
        assertTrue(video.complete());
        assertEquals(320, video.sourceWidth());
        for (DecodedMedia.VideoFrame frame : video.frames()) {
            // decoded by FFmpeg straight to the short side, aspect kept: 320x240 -> 299x224
            assertEquals(299, frame.image().width());
            assertEquals(224, frame.image().height());
            assertColorNear(TestMedia.SECOND_COLORS[frame.index()], TestMedia.meanRgb(frame.image()), 40,
                    format + " frame at " + frame.startMs() + " ms");
        }
    }

    @Test
    void aCutIsMarkedOnTheFirstFrameOfTheNewShotAndCameraMotionIsNot() throws Exception {
        // 4 s panning over one scene, then 4 s of a hand-held view of another scene in the same colours.
        Random random = new Random(7);
        BufferedImage first = texture(1, 480, 300);
        BufferedImage second = texture(2, 480, 300);
        List<BufferedImage> frames = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            boolean panning = i < 40;
            int x = panning ? i * 2 : 60 + random.nextInt(5);
            int y = panning ? 20 : 20 + random.nextInt(5);
            frames.add((panning ? first : second).getSubimage(x, y, 320, 240));
        }
        byte[] clip = VideoWriter.encode(VideoWriter.Format.MP4_H264, 10, frames);

        DecodedMedia.DecodedVideo video = decode(clip, OPTIONS);

        assertEquals(List.of(false, false, false, false, true, false, false, false),
                video.frames().stream().map(DecodedMedia.VideoFrame::sceneCut).toList());
    }

    /** Soft blobs in one warm palette on a gradient: texture for motion to move, no colour to tell scenes apart. */
    private static BufferedImage texture(long seed, int w, int h) {
        Color[] palette = {new Color(200, 120, 60), new Color(90, 40, 20), new Color(240, 200, 150),
            new Color(150, 60, 40)};
        Random r = new Random(seed);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, palette[0], w, h, palette[1]));
        g.fillRect(0, 0, w, h);
        for (int i = 0; i < 40; i++) {
            g.setColor(palette[r.nextInt(palette.length)]);
            int s = 12 + r.nextInt(60);
            g.fillOval(r.nextInt(w), r.nextInt(h), s, s + r.nextInt(30));
        }
        g.dispose();
        return image;
    }

    @Test
    void codecsAreTheOnesAskedFor() throws Exception {
        assertEquals("h264", decode(CLIPS.get(VideoWriter.Format.MP4_H264), OPTIONS).codec());
        assertEquals("vp8", decode(CLIPS.get(VideoWriter.Format.WEBM_VP8), OPTIONS).codec());
    }

    @Test
    void sparseSamplingSeeksAndStillLandsOnTheExactFrames() throws Exception {
        byte[] clip = VideoWriter.encode(VideoWriter.Format.MP4_H264, 25, TestMedia.secondsClip(160, 120, 25, 10));

        DecodedMedia.DecodedVideo video = decode(clip, OPTIONS.toBuilder().frameInterval(Duration.ofSeconds(3)).build());

        assertEquals(List.of(0L, 3000L, 6000L, 9000L), Arrays.stream(starts(video)).boxed().toList());
        for (DecodedMedia.VideoFrame frame : video.frames()) {
            assertColorNear(TestMedia.SECOND_COLORS[(int) (frame.startMs() / 1000)], TestMedia.meanRgb(frame.image()),
                    40, "frame at " + frame.startMs() + " ms");
        }
    }

    @Test
    void frameCapStretchesTheIntervalToCoverTheWholeVideo() throws Exception {
        DecodedMedia.DecodedVideo video = decode(CLIPS.get(VideoWriter.Format.MP4_H264),
                OPTIONS.toBuilder().maxFrames(2).build());

        assertEquals(2, video.frames().size());
        assertEquals(1750, video.intervalMs());
        assertEquals(List.of(0L, 1750L), Arrays.stream(starts(video)).boxed().toList());
    }

    @Test
    void videoLongerThanTheDurationCapIsRejected() {
        assertRejected(RejectReason.DURATION_LIMIT, () -> decode(CLIPS.get(VideoWriter.Format.WEBM_VP8),
                OPTIONS.toBuilder().maxVideoDuration(Duration.ofSeconds(2)).build()));
    }

    @Test
    void truncatedMp4IsRejectedAsTruncated() {
        byte[] mp4 = CLIPS.get(VideoWriter.Format.MP4_H264);
        byte[] cut = Arrays.copyOf(mp4, mp4.length * 6 / 10);

        assertRejected(RejectReason.TRUNCATED, () -> decode(cut, OPTIONS));
    }

    @Test
    void truncatedWebmGivesFewerFramesFlaggedIncompleteWithoutHanging() throws Exception {
        byte[] webm = CLIPS.get(VideoWriter.Format.WEBM_VP8);
        byte[] cut = Arrays.copyOf(webm, webm.length / 2);

        DecodedMedia.DecodedVideo video = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> decode(cut, OPTIONS));

        assertFalse(video.complete());
        assertTrue(video.frames().size() >= 1 && video.frames().size() < 4, "frames: " + video.frames().size());
        assertEquals(0, video.frames().get(0).startMs());
    }

    @Test
    void mp4WithADamagedIndexIsCorruptNotTruncated() {
        byte[] mp4 = CLIPS.get(VideoWriter.Format.MP4_H264).clone();
        int moov = indexOf(mp4, "moov") - 4;
        int moovSize = java.nio.ByteBuffer.wrap(mp4, moov, 4).getInt();
        byte[] noise = TestMedia.randomBytes(moovSize - 8, 3);
        System.arraycopy(noise, 0, mp4, moov + 8, noise.length); // box structure intact, its content garbage

        assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertRejected(RejectReason.CORRUPT_VIDEO, () -> decode(mp4, OPTIONS)));
    }

    @Test
    void randomBytesAreNotAVideo() {
        assertRejected(RejectReason.CORRUPT_VIDEO, () -> decode(TestMedia.randomBytes(100_000, 5), OPTIONS));
    }

    @Test
    void aPlaylistDemuxerIsRefusedSoAVideoCannotPullInOtherFiles() {
        byte[] playlist = "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        assertRejected(RejectReason.CORRUPT_VIDEO, () -> decode(playlist, OPTIONS));
    }

    @Test
    void decodingPastTheTimeLimitStopsWithDecodeTimeout() {
        assertRejected(RejectReason.DECODE_TIMEOUT, () -> decode(CLIPS.get(VideoWriter.Format.WEBM_VP8),
                OPTIONS.toBuilder().decodeTimeout(Duration.ofNanos(1)).build()));
    }

    private static int indexOf(byte[] haystack, String fourCc) {
        byte[] needle = fourCc.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError(fourCc + " not found");
    }
}
