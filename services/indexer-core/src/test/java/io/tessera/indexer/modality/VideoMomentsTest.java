package io.tessera.indexer.modality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tessera.media.DecodedMedia;
import io.tessera.media.DecodedMedia.TextOrigin;
import io.tessera.media.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Which sampled frames become one moment, on vectors and frames made up for each rule. */
class VideoMomentsTest {

    private static final RgbImage PIXELS = new RgbImage(2, 2, new byte[12]);
    private static final float[] A = {1, 0, 0};
    private static final float[] B = {0, 1, 0};

    /** Frame i covers [1000 i, 1000 (i + 1)). */
    private static DecodedMedia.VideoFrame frame(int i) {
        return new DecodedMedia.VideoFrame(i, i * 1000L, (i + 1) * 1000L, PIXELS);
    }

    private static DecodedMedia.VideoFrame frame(int i, String text, TextOrigin origin, boolean cut) {
        return new DecodedMedia.VideoFrame(i, i * 1000L, (i + 1) * 1000L, PIXELS, text, origin, cut);
    }

    private static List<DecodedMedia.VideoFrame> frames(int n) {
        List<DecodedMedia.VideoFrame> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(frame(i));
        }
        return out;
    }

    private static List<long[]> spans(List<ItemVectors.Segment> moments) {
        return moments.stream().map(m -> new long[] {m.startMs(), m.endMs()}).toList();
    }

    @Test
    void runsOfNearlyIdenticalFramesAreOneMomentEach() {
        List<ItemVectors.Segment> moments = VideoMoments.merge(frames(6), List.of(A, A, A, B, B, A), 0.95);

        assertThat(moments).extracting(ItemVectors.Segment::index).containsExactly(0, 1, 2);
        assertThat(spans(moments)).containsExactly(new long[] {0, 3000}, new long[] {3000, 5000},
                new long[] {5000, 6000});
        assertThat(moments.get(0).vector()).containsExactly(A);
        assertThat(moments.get(1).vector()).containsExactly(B);
        assertThat(moments.get(2).vector()).containsExactly(A);
    }

    @Test
    void aMomentHoldsTheNormalisedMeanOfItsFrames() {
        float[] a1 = Vectors.normalized(new float[] {1, 0.1f, 0});
        float[] a2 = Vectors.normalized(new float[] {1, -0.1f, 0.05f});

        List<ItemVectors.Segment> moments = VideoMoments.merge(frames(2), List.of(a1, a2), 0.95);

        assertThat(moments).hasSize(1);
        float[] expected = Vectors.pooled(List.of(a1, a2));
        assertThat(Vectors.cosine(moments.get(0).vector(), expected)).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void aSceneCutStartsAMomentEvenBetweenIdenticalVectors() {
        List<DecodedMedia.VideoFrame> frames = List.of(frame(0), frame(1), frame(2, "", TextOrigin.NONE, true),
                frame(3));

        List<ItemVectors.Segment> moments = VideoMoments.merge(frames, List.of(A, A, A, A), 0.5);

        assertThat(spans(moments)).containsExactly(new long[] {0, 2000}, new long[] {2000, 4000});
    }

    @Test
    void similarityOneKeepsEveryFrameAMoment() {
        List<ItemVectors.Segment> moments = VideoMoments.merge(frames(4), List.of(A, A, A, A), VideoMoments.OFF);

        assertThat(moments).extracting(ItemVectors.Segment::index).containsExactly(0, 1, 2, 3);
        assertThat(moments).extracting(ItemVectors.Segment::startMs).containsExactly(0L, 1000L, 2000L, 3000L);
    }

    @Test
    void aSlideChangeStartsAMomentWhenOcrReadBothButNotWhenItDidNotReadOne() {
        List<DecodedMedia.VideoFrame> frames = List.of(
                frame(0, "Agenda for today", TextOrigin.OCR, false),
                frame(1, "Agenda for tuday", TextOrigin.OCR, false), // OCR misreads a word: the same slide
                frame(2, "", TextOrigin.OCR_SKIPPED, false), // not read: judged by its vector alone
                frame(3, "Quarterly results by region", TextOrigin.OCR, false),
                frame(4, "", TextOrigin.OCR_EMPTY, false)); // read, no text: the slide is gone

        List<ItemVectors.Segment> moments = VideoMoments.merge(frames, List.of(A, A, A, A, A), 0.9);

        assertThat(spans(moments)).containsExactly(new long[] {0, 3000}, new long[] {3000, 4000},
                new long[] {4000, 5000});
    }

    @Test
    void aSlowPanDoesNotChainIntoOneMoment() {
        // Each frame turns 3 degrees from the one before (cosine 0.9986 between neighbours): compared with the
        // frame before, all 30 frames would be one moment spanning a 87-degree turn.
        int n = 30;
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double angle = Math.toRadians(3 * i);
            vectors.add(new float[] {(float) Math.cos(angle), (float) Math.sin(angle), 0});
        }

        List<ItemVectors.Segment> moments = VideoMoments.merge(frames(n), vectors, 0.95);

        assertThat(moments.size()).isGreaterThanOrEqualTo(3);
        for (ItemVectors.Segment m : moments) {
            for (int i = (int) (m.startMs() / 1000); i < m.endMs() / 1000; i++) {
                assertThat(Vectors.cosine(vectors.get(i), m.vector())).as("frame %d in its moment", i)
                        .isGreaterThanOrEqualTo(0.95);
            }
        }
    }

    @Test
    void momentsCoverTheVideoWithoutGapsOrOverlaps() {
        Random random = new Random(3);
        int n = 200;
        List<DecodedMedia.VideoFrame> frames = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        float[] current = A;
        for (int i = 0; i < n; i++) {
            if (random.nextInt(10) == 0) {
                current = Vectors.normalized(new float[] {random.nextFloat(), random.nextFloat(), random.nextFloat()});
            }
            frames.add(frame(i, "", TextOrigin.NONE, random.nextInt(25) == 0));
            vectors.add(Vectors.normalized(new float[] {current[0] + 0.02f * (float) random.nextGaussian(),
                current[1] + 0.02f * (float) random.nextGaussian(), current[2]}));
        }

        List<ItemVectors.Segment> moments = VideoMoments.merge(frames, vectors, 0.98);

        assertThat(moments.size()).isBetween(2, n - 1);
        assertThat(moments.getFirst().startMs()).isZero();
        assertThat(moments.getLast().endMs()).isEqualTo(n * 1000L);
        for (int k = 0; k < moments.size(); k++) {
            assertThat(moments.get(k).index()).isEqualTo(k);
            assertThat(moments.get(k).endMs()).isGreaterThan(moments.get(k).startMs());
            if (k > 0) {
                assertThat(moments.get(k).startMs()).isEqualTo(moments.get(k - 1).endMs());
            }
        }
    }
}
