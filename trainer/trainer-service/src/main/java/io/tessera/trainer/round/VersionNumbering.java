package io.tessera.trainer.round;

import java.util.Collection;

/**
 * The number of the next model version. {@code models.published} is the source of truth for what was published; the
 * model store and the trainer's own round ledger are added because a compacted topic keeps only the latest record of
 * a model, and a number once used for a directory in the store (or reserved by a round that crashed before
 * publishing) must never be used again for other bytes.
 */
public final class VersionNumbering {

    private VersionNumbering() {
    }

    /**
     * @param published versions of the model seen on models.published
     * @param inStore   versions of the model present in the model store
     * @param reserved  versions recorded by rounds in the trainer's ledger (published or not)
     * @return 1 + the largest of them all (1 when there are none)
     */
    public static int next(Collection<Integer> published, Collection<Integer> inStore, Collection<Integer> reserved) {
        int max = 0;
        for (Collection<Integer> c : java.util.List.of(published, inStore, reserved)) {
            for (int v : c) {
                max = Math.max(max, v);
            }
        }
        return Math.addExact(max, 1);
    }
}
