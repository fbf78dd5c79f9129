package io.tessera.media;

import static io.tessera.media.TestMedia.assertColorNear;
import static io.tessera.media.TestMedia.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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
