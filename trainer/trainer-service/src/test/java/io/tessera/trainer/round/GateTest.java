package io.tessera.trainer.round;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.training.RetrievalMetrics;
import io.tessera.training.RetrievalReport;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GateTest {

    private static RetrievalReport report(double q2c, double c2q) {
        return new RetrievalReport(Map.of("t2i", new RetrievalMetrics("t2i", new RetrievalMetrics.Recall(q2c, 1, 1),
                new RetrievalMetrics.Recall(c2q, 1, 1), 10, 10)));
    }

    @Test
    void promotesOnlyWhenTheCandidateBeatsTheCurrentModelByTheMargin() {
        Gate gate = new Gate(0.02);
        assertThat(gate.decide(report(0.50, 0.50), report(0.53, 0.53)).promote()).isTrue();
        assertThat(gate.decide(report(0.50, 0.50), report(0.52, 0.52)).promote()).as("exactly the margin").isTrue();
        assertThat(gate.decide(report(0.50, 0.50), report(0.51, 0.51)).promote()).isFalse();
        assertThat(gate.decide(report(0.50, 0.50), report(0.40, 0.70)).promote()).as("mean of both directions").isTrue();
        Gate.Decision worse = gate.decide(report(0.60, 0.60), report(0.50, 0.50));
        assertThat(worse.promote()).isFalse();
        assertThat(worse.reason()).contains("0.6000 -> 0.5000").contains("not enough");
    }

    @Test
    void zeroMarginPromotesTiesButNeverAnUnmeasuredCandidate() {
        Gate gate = new Gate(0);
        assertThat(gate.decide(report(0.5, 0.5), report(0.5, 0.5)).promote()).isTrue();
        assertThat(gate.decide(new RetrievalReport(Map.of()), report(0.9, 0.9)).promote()).isFalse();
    }

    @Test
    void rejectsANegativeMargin() {
        assertThatThrownBy(() -> new Gate(-0.01)).hasMessageContaining("tessera.trainer.gate.margin");
    }
}
