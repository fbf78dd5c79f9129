package io.tessera.media.internal;

import io.tessera.media.RgbImage;
import java.util.ArrayDeque;

/**
 * Whether the picture cut to another shot between two consecutive sampled frames, decided from their pixels; one
 * detector per video, fed its sampled frames in order. Sampled frames lie a sampling interval apart (1 s by default),
 * not one video frame, so anything that moves in that time (the camera, the people in the shot) changes many pixels.
 * Two measures, each blind to one kind of motion:
 *
 * <ul>
 *   <li><b>structure</b>: the luminance, block-averaged to a thumbnail about 64 pixels on its short side, its mean
 *       removed, compared at the best global shift within 1/8 of the short side: the mean absolute difference over
 *       the overlap, in [0, 1] of full scale. The shift absorbs pans and hand-held shake, removing the mean absorbs
 *       exposure changes and flicker, the blocks absorb sensor and compression noise. What is left is content that
 *       no single shift explains.</li>
 *   <li><b>colour</b>: the 4x4x4 RGB histograms of the whole frames, their total-variation distance (half the L1
 *       distance, in [0, 1]). It does not see motion at all.</li>
 * </ul>
 *
 * A frame is a cut when any of three tests fires:
 * <ol>
 *   <li>structure at least {@value #STRUCTURE_THRESHOLD}: another shot, even one in the same colours (a second
 *       camera on the same scene);</li>
 *   <li>colour at least {@value #COLOUR_THRESHOLD}: another shot whose structure happens to align, or has none (a
 *       title card after a black frame, dark low-contrast pictures);</li>
 *   <li>structure at least {@value #CHANGE_RATIO} times its mean over the shot's last {@value #HISTORY} frames (at
 *       least two) and at least {@value #CHANGE_FLOOR}: a change that is small for a moving shot but large for this
 *       shot, such as the next slide of a talk, where the template stays and only the text changes.</li>
 * </ol>
 *
 * <p>Measured on generated 640x360 H.264 video (photographs filmed on a tripod, hand-held, panning and zooming, with
 * sensor noise and exposure flicker, joined by hard cuts and 1 s dissolves; a talk's slides, see the indexer's
 * VideoMomentsBenchmarkTest) and on the demo dataset's videos, decoded at 224 pixels as the indexer decodes for
 * tessera-base:
 * <pre>
 *                                                  structure         colour
 *   within a shot of a photograph (any camera)     0.0025 - 0.0297   0.0001 - 0.0876
 *   mid-dissolve frame                             0.0105 - 0.0250   0.0576 - 0.0940
 *   within one slide                               0.0014 - 0.0032   0.0008 - 0.0065
 *   next slide (same template)                     0.0288 - 0.0309   0.0081 - 0.0116
 *   cut between views of one scene                 0.0869            0.0430
 *     (scikit-image's motorcycle stereo pair)
 *   cut between photographs, end of a dissolve     0.0746 - 0.4621   0.2409 - 1.0000
 *   demo: a shape moves or changes colour          0.0002 - 0.0553   0.0002 - 0.0825
 * </pre>
 * With these thresholds all 12 cuts and dissolves and all 3 slide changes are found, no frame within a shot is a cut,
 * and no mid-dissolve frame; of the demo's 118 changes between sampled frames 37 count as cuts, which only keeps
 * those moments apart. A cut missed here is still caught by the embedding (the indexer merges frames into one
 * moment only when their vectors are nearly identical too); a false cut costs only a merge that does not happen (one
 * more row), never a wrong moment, which is why the tests lean towards cutting (shots with fast action will show
 * some).
 */
public final class SceneCuts {

    static final double STRUCTURE_THRESHOLD = 0.06;
    static final double COLOUR_THRESHOLD = 0.25;
    static final double CHANGE_RATIO = 4;
    static final double CHANGE_FLOOR = 0.015;
    static final int HISTORY = 5;
    private static final int THUMBNAIL_SHORT_SIDE = 64;
    private static final int HISTOGRAM_BINS = 64;

    /** Structure distances between the current shot's consecutive frames, the latest last. */
    private final ArrayDeque<Double> history = new ArrayDeque<>();
    private Signature previous;

    /**
     * What the comparison keeps of a frame: its mean-free luminance thumbnail, the same at half its size (where the
     * shift is searched first), and its colour histogram.
     */
    static final class Signature {
        private final Plane fine;
        private final Plane coarse;
        private final float[] histogram;

        private Signature(Plane fine, float[] histogram) {
            this.fine = fine;
            this.coarse = fine.halved();
            this.histogram = histogram;
        }
    }

    private record Plane(int width, int height, float[] values) {
        Plane halved() {
            int w = width / 2;
            int h = height / 2;
            float[] out = new float[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = 2 * y * width + 2 * x;
                    out[y * w + x] = (values[i] + values[i + 1] + values[i + width] + values[i + width + 1]) / 4;
                }
            }
            return new Plane(w, h, out);
        }

        int radius() {
            return Math.min(width, height) / 8;
        }
    }

    /** Whether {@code frame}, the video's next sampled frame, starts another shot; false for the first frame. */
    public boolean next(RgbImage frame) {
        Signature current = signature(frame);
        Signature before = previous;
        previous = current;
        if (before == null) {
            return false;
        }
        boolean cut = colourDistance(before, current) >= COLOUR_THRESHOLD;
        double structure = 0;
        if (!cut) {
            structure = structureDistance(before, current);
            cut = structure >= STRUCTURE_THRESHOLD || history.size() >= 2
                    && structure >= Math.max(CHANGE_FLOOR, CHANGE_RATIO * mean(history));
        }
        if (cut) {
            history.clear();
        } else {
            if (history.size() == HISTORY) {
                history.removeFirst();
            }
            history.addLast(structure);
        }
        return cut;
    }

    private static double mean(ArrayDeque<Double> values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.size();
    }

    static Signature signature(RgbImage image) {
        int block = Math.max(1, Math.min(image.width(), image.height()) / THUMBNAIL_SHORT_SIDE);
        int w = image.width() / block;
        int h = image.height() / block;
        byte[] rgb = image.rgb();
        long[] sums = new long[w * h];
        float[] histogram = new float[HISTOGRAM_BINS];
        for (int y = 0; y < image.height(); y++) {
            int ty = y / block;
            for (int x = 0, i = y * image.width() * 3; x < image.width(); x++, i += 3) {
                int r = rgb[i] & 0xff;
                int g = rgb[i + 1] & 0xff;
                int b = rgb[i + 2] & 0xff;
                histogram[(r >> 6) << 4 | (g >> 6) << 2 | b >> 6]++;
                int tx = x / block;
                if (tx < w && ty < h) {
                    // Rec. 601 weights, as Pixels.gray.
                    sums[ty * w + tx] += 77 * r + 150 * g + 29 * b;
                }
            }
        }
        float pixels = (float) image.width() * image.height();
        for (int k = 0; k < histogram.length; k++) {
            histogram[k] /= pixels;
        }
        float[] luma = new float[w * h];
        double mean = 0;
        float scale = 1f / (256f * block * block * 255f);
        for (int k = 0; k < luma.length; k++) {
            luma[k] = sums[k] * scale;
            mean += luma[k];
        }
        mean /= luma.length;
        for (int k = 0; k < luma.length; k++) {
            luma[k] -= (float) mean;
        }
        return new Signature(new Plane(w, h, luma), histogram);
    }

    /** Total-variation distance of the colour histograms, in [0, 1]. */
    static double colourDistance(Signature a, Signature b) {
        double sum = 0;
        for (int k = 0; k < HISTOGRAM_BINS; k++) {
            sum += Math.abs(a.histogram[k] - b.histogram[k]);
        }
        return sum / 2;
    }

    /**
     * The smallest mean absolute difference of the mean-free thumbnails over global shifts within 1/8 of the short
     * side, in [0, 1]. Searched coarse to fine: every shift at half size, then the nine around the best one at full
     * size (a tenth of the work of trying every shift at full size, where the blur of the half size keeps the best
     * shift's basin wide enough to be found). Frames of different sizes (never within one video) are as different as
     * can be.
     */
    static double structureDistance(Signature a, Signature b) {
        if (a.fine.width() != b.fine.width() || a.fine.height() != b.fine.height()) {
            return 1;
        }
        int coarseRadius = a.coarse.radius();
        double coarseBest = Double.MAX_VALUE;
        int cx = 0;
        int cy = 0;
        for (int dy = -coarseRadius; dy <= coarseRadius; dy++) {
            for (int dx = -coarseRadius; dx <= coarseRadius; dx++) {
                double d = shifted(a.coarse, b.coarse, dx, dy);
                if (d < coarseBest) {
                    coarseBest = d;
                    cx = dx;
                    cy = dy;
                }
            }
        }
        int radius = a.fine.radius();
        double best = Double.MAX_VALUE;
        for (int dy = 2 * cy - 1; dy <= 2 * cy + 1; dy++) {
            for (int dx = 2 * cx - 1; dx <= 2 * cx + 1; dx++) {
                if (Math.abs(dx) <= radius && Math.abs(dy) <= radius) {
                    best = Math.min(best, shifted(a.fine, b.fine, dx, dy));
                }
            }
        }
        return best;
    }

    private static double shifted(Plane a, Plane b, int dx, int dy) {
        int w = a.width();
        int x0 = Math.max(0, -dx);
        int x1 = Math.min(w, w - dx);
        int y0 = Math.max(0, -dy);
        int y1 = Math.min(a.height(), a.height() - dy);
        float[] av = a.values();
        float[] bv = b.values();
        double sum = 0;
        for (int y = y0; y < y1; y++) {
            int ia = y * w;
            int ib = (y + dy) * w + dx;
            for (int x = x0; x < x1; x++) {
                sum += Math.abs(av[ia + x] - bv[ib + x]);
            }
        }
        return sum / ((long) (x1 - x0) * (y1 - y0));
    }
}
