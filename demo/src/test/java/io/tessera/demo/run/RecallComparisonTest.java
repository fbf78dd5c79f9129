package io.tessera.demo.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.demo.dataset.Task;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecallComparisonTest {

    private static Recall recall(Task task, int hits, int misses) {
        List<Integer> ranks = new ArrayList<>(Collections.nCopies(hits, 1));
        ranks.addAll(Collections.nCopies(misses, 0));
        return new Recall(task, 1, ranks);
    }

    @Test
    void aClearGainPassesAndASignificantDropOnOneTaskFails() {
        Map<Task, Recall> before = Map.of(Task.T2I, recall(Task.T2I, 30, 70), Task.T2T, recall(Task.T2T, 90, 10));
        Map<Task, Recall> better = Map.of(Task.T2I, recall(Task.T2I, 60, 40), Task.T2T, recall(Task.T2T, 90, 10));
        RecallComparison.Verdict ok = RecallComparison.compare(before, better);
        assertTrue(ok.passed(), RecallComparison.format(ok));
        assertTrue(RecallComparison.format(ok).contains("(improved); regressions beyond the 95 % interval: none"));

        // text -> text falls from 90 to 60 of 100: far outside its interval, although the mean still rises.
        Map<Task, Recall> worse = Map.of(Task.T2I, recall(Task.T2I, 100, 0), Task.T2T, recall(Task.T2T, 60, 40));
        RecallComparison.Verdict bad = RecallComparison.compare(before, worse);
        assertTrue(bad.improved());
        assertFalse(bad.passed());
        assertEquals(Task.T2T, bad.regressions().get(0).task());
        assertTrue(RecallComparison.format(bad).contains("text -> text passage R@1 -0.300"), RecallComparison.format(bad));
    }

    @Test
    void aSmallDropWithinNoiseIsNotARegression() {
        Map<Task, Recall> before = Map.of(Task.T2T, recall(Task.T2T, 10, 2));
        Map<Task, Recall> after = Map.of(Task.T2T, new Recall(Task.T2T, 2,
                List.of(1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0)));
        assertTrue(RecallComparison.compare(before, after).regressions().isEmpty());
    }

    @Test
    void wilsonIntervalsAreInsideZeroAndOne() {
        double[] w = RecallComparison.wilson(1.0, 12);
        assertTrue(w[0] > 0.7 && w[1] == 1.0, w[0] + " " + w[1]);
        double[] half = RecallComparison.wilson(0.5, 100);
        assertEquals(0.404, half[0], 0.002);
        assertEquals(0.596, half[1], 0.002);
    }
}
