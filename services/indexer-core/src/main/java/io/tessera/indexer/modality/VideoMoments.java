package io.tessera.indexer.modality;

import io.tessera.media.DecodedMedia;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Consecutive sampled frames of a video merged into moments, one segment row each. A static shot sampled once a
 * second gives one nearly identical vector per second; as rows they crowd a search's results with copies of one
 * picture. A frame joins the moment before it when all of these hold:
 * <ul>
 *   <li>no scene cut lies between them ({@link DecodedMedia.VideoFrame#sceneCut()}, judged from the pixels);</li>
 *   <li>its vector has cosine at least {@code similarity} with the moment's mean vector so far: the mean is what the
 *       row will hold, so a frame joins only a row that stands for it, noise in any one frame (the first included)
 *       weighs little, and a slow pan or zoom cannot drift through a chain of small steps into something else (the
 *       mean lags behind);</li>
 *   <li>its text does not differ materially from the moment's ({@link #sameText}): a slide change in a talk keeps
 *       the picture and moves the vector little when the text weight is low, but it is a new moment.</li>
 * </ul>
 * A moment spans [start of its first frame, end of its last), so moments cover the video without gaps as frames do;
 * its vector is the normalised mean of its frames' vectors. Moments are numbered 0..n-1 in time order, the segment
 * numbers of the store's layout; playback and thumbnails go by a row's start time, which is its first frame's.
 */
final class VideoMoments {

    /** A similarity that turns merging off: every frame is a moment of its own, as before moments existed. */
    static final double OFF = 1.0;

    /**
     * Below this share of common words (Jaccard index of the word sets), two OCR texts are different texts. OCR of
     * one caption or slide read twice varies in a word or two (a misread, a word at the edge); another slide shares
     * its template words at most.
     */
    private static final double SAME_TEXT_MIN_OVERLAP = 0.5;

    private VideoMoments() {
    }

    /** What a frame is compared with to join a moment. */
    enum Reference {
        /** The moment's mean vector so far, what its row will hold: the rule in use. */
        MEAN,
        /**
         * The moment's first frame. Not used: kept so that VideoMomentsBenchmarkTest measures it against MEAN (it
         * writes more rows at the same similarity for the same recall: a noisy first frame decides for the shot).
         */
        FIRST_FRAME
    }

    /**
     * @param frames     the sampled frames in time order
     * @param vectors    the vector of each frame (image, or image blended with OCR text)
     * @param similarity the cosine a frame needs with the moment so far to join it, in (0, 1]; {@link #OFF} keeps
     *                   one moment per frame
     */
    static List<ItemVectors.Segment> merge(List<DecodedMedia.VideoFrame> frames, List<float[]> vectors,
                                           double similarity) {
        return merge(frames, vectors, similarity, Reference.MEAN);
    }

    static List<ItemVectors.Segment> merge(List<DecodedMedia.VideoFrame> frames, List<float[]> vectors,
                                           double similarity, Reference reference) {
        if (frames.size() != vectors.size() || frames.isEmpty()) {
            throw new IllegalArgumentException(frames.size() + " frames and " + vectors.size() + " vectors");
        }
        boolean merging = similarity < OFF;
        List<ItemVectors.Segment> moments = new ArrayList<>();
        int first = 0;
        float[] sum = vectors.get(0).clone();
        float[] firstVector = vectors.get(0);
        Set<String> words = knownWords(frames.get(0));
        for (int i = 1; i < frames.size(); i++) {
            DecodedMedia.VideoFrame frame = frames.get(i);
            float[] v = vectors.get(i);
            Set<String> frameWords = knownWords(frame);
            float[] compared = reference == Reference.MEAN ? sum : firstVector;
            boolean joins = merging && !frame.sceneCut() && Vectors.cosine(v, compared) >= similarity
                    && sameText(words, frameWords);
            if (joins) {
                for (int d = 0; d < sum.length; d++) {
                    sum[d] += v[d];
                }
                if (frameWords != null) {
                    words = frameWords;
                }
            } else {
                moments.add(moment(moments.size(), frames.get(first), frames.get(i - 1), sum));
                first = i;
                sum = v.clone();
                firstVector = v;
                words = frameWords;
            }
        }
        moments.add(moment(moments.size(), frames.get(first), frames.getLast(), sum));
        return moments;
    }

    private static ItemVectors.Segment moment(int index, DecodedMedia.VideoFrame first, DecodedMedia.VideoFrame last,
                                              float[] sum) {
        // The moment's frames show the same text (a text change starts a new moment), so its first frame's OCR text
        // stands for the moment.
        return new ItemVectors.Segment(index, first.startMs(), last.endMs(), Vectors.normalized(sum),
                first.hasText() ? first.text() : null);
    }

    /**
     * The words of a frame whose text is known (OCR read it, with or without finding text); null when it is not
     * (OCR skipped, failed or off): such a frame says nothing about a text change and is judged by its vector alone.
     */
    static Set<String> knownWords(DecodedMedia.VideoFrame frame) {
        return switch (frame.textOrigin()) {
            case OCR, OCR_EMPTY, TEXT_LAYER -> words(frame.text());
            case NONE, OCR_SKIPPED, OCR_TIMED_OUT, OCR_FAILED -> null;
        };
    }

    /** Lower-case runs of letters and digits, at least two long (OCR reads specks as one-letter words). */
    private static Set<String> words(String text) {
        Set<String> out = new HashSet<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (w.length() >= 2) {
                out.add(w);
            }
        }
        return out;
    }

    /** Whether two known texts are the same text; an unknown one (null) never counts as a change. */
    static boolean sameText(Set<String> a, Set<String> b) {
        if (a == null || b == null) {
            return true;
        }
        if (a.isEmpty() || b.isEmpty()) {
            return a.isEmpty() && b.isEmpty();
        }
        int common = 0;
        for (String w : a) {
            if (b.contains(w)) {
                common++;
            }
        }
        return common >= SAME_TEXT_MIN_OVERLAP * (a.size() + b.size() - common);
    }
}
