package io.tessera.trainer.round;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RoundTriggerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void startsAfterEnoughNewPairs() {
        RoundTrigger t = new RoundTrigger(100, Duration.ZERO, 10);
        assertThat(t.due(T0, 99, 500, T0, false)).isEmpty();
        assertThat(t.due(T0, 100, 500, T0, false)).get().asString().contains("100 new pairs");
    }

    @Test
    void startsOnScheduleOnlyWhenSomethingIsNew() {
        RoundTrigger t = new RoundTrigger(0, Duration.ofMinutes(30), 10);
        Instant later = T0.plus(Duration.ofMinutes(30));
        assertThat(t.due(T0.plus(Duration.ofMinutes(29)), 5, 500, T0, false)).isEmpty();
        assertThat(t.due(later, 5, 500, T0, false)).get().asString().startsWith("schedule");
        assertThat(t.due(later, 0, 500, T0, false)).as("nothing new: retraining would repeat the last round").isEmpty();
    }

    @Test
    void neverStartsWhileARoundRunsOrWithTooFewPairs() {
        RoundTrigger t = new RoundTrigger(1, Duration.ofSeconds(1), 10);
        Instant later = T0.plus(Duration.ofHours(1));
        assertThat(t.due(later, 50, 500, T0, true)).isEmpty();
        assertThat(t.due(later, 5, 9, T0, false)).isEmpty();
        assertThat(t.due(later, 5, 10, T0, false)).isPresent();
    }

    @Test
    void refusesASettingThatCouldNeverStartARound() {
        assertThatThrownBy(() -> new RoundTrigger(0, Duration.ZERO, 1)).hasMessageContaining("both round triggers are off");
        assertThatThrownBy(() -> new RoundTrigger(-1, Duration.ZERO, 1)).hasMessageContaining("after-new-pairs");
        assertThatThrownBy(() -> new RoundTrigger(5, Duration.ofSeconds(-1), 1)).hasMessageContaining("interval");
    }
}
