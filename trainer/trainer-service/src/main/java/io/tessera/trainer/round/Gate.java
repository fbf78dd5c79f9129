package io.tessera.trainer.round;

import io.tessera.training.RetrievalReport;
import java.util.Locale;

/**
 * Whether a candidate replaces the current model: only when its validation score (mean recall@1 over tasks and both
 * directions, {@link RetrievalReport#meanRecallAt1()}) beats the current model's by at least {@code margin}. A
 * margin keeps noise on a small validation set from churning versions, and every promotion costs a full re-index.
 *
 * @param margin the improvement required, in recall points as a fraction (0.01 = one point); may be 0, not negative
 */
public record Gate(double margin) {

    public Gate {
        if (!(margin >= 0) || !Double.isFinite(margin)) {
            throw new IllegalArgumentException("tessera.trainer.gate.margin must be a finite number >= 0, got " + margin);
        }
    }

    /** The gate's verdict with the scores it compared. */
    public record Decision(boolean promote, double currentScore, double candidateScore, double margin, String reason) {
    }

    public Decision decide(RetrievalReport current, RetrievalReport candidate) {
        double before = current.meanRecallAt1();
        double after = candidate.meanRecallAt1();
        if (!Double.isFinite(before) || !Double.isFinite(after)) {
            return new Decision(false, before, after, margin, "no validation score (before " + before + ", after "
                    + after + "): a version is never promoted unmeasured");
        }
        // A small tolerance so that "exactly the margin" is not lost to the rounding of two averages.
        boolean promote = after - before >= margin - 1e-12;
        String reason = String.format(Locale.ROOT, "validation mean R@1 %.4f -> %.4f (%+.4f, margin %.4f)%s", before,
                after, after - before, margin, promote ? "" : ": not enough");
        return new Decision(promote, before, after, margin, reason);
    }
}
