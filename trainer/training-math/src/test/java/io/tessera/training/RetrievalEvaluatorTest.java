package io.tessera.training;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RetrievalEvaluatorTest {

    private static final Map<String, Projection> IDENTITY = Map.of(
            "a", Projection.ofOutByIn(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, 3, 3),
            "b", Projection.ofOutByIn(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, 3, 3));

    private static FeatureItem a(String key, float... f) {
        return new FeatureItem("a", key, f);
    }

    private static FeatureItem b(String key, float... f) {
        return new FeatureItem("b", key, f);
    }

    @Test
    void recallCountsARelevantCandidateInTheTopK() {
        // q0 finds c0 first; q1's nearest is c0 (wrong), its own c1 second; q2 finds c2.
        List<ValidationSet.Pair> pairs = List.of(
                new ValidationSet.Pair(a("q0", 1, 0, 0), b("c0", 1, 0.1f, 0)),
                new ValidationSet.Pair(a("q1", 1, 0.2f, 0), b("c1", 0.5f, 1, 0)),
                new ValidationSet.Pair(a("q2", 0, 0, 1), b("c2", 0, 0.1f, 1)));
        RetrievalMetrics m = RetrievalEvaluator.evaluate(ValidationSet.of("t", pairs), IDENTITY);
        assertEquals(2.0 / 3, m.queryToCandidate().at1(), 1e-12);
        assertEquals(1.0, m.queryToCandidate().at5(), 1e-12);
        // Reverse: c0's nearest query is q1 (cos 0.9952 against q0's 0.9950), c1 and c2 find their own.
        assertEquals(3, m.queries());
        assertEquals(3, m.candidates());
        assertEquals(2.0 / 3, m.candidateToQuery().at1(), 1e-12);
    }

    @Test
    void groupsMakeSeveralCandidatesRelevantAndDistractorsOnlyCompete() {
        List<ValidationSet.Pair> pairs = new ArrayList<>();
        pairs.add(new ValidationSet.Pair(a("q0", 1, 0, 0), b("c0", 0, 1, 0), "g"));
        pairs.add(new ValidationSet.Pair(a("q0", 1, 0, 0), b("c1", 1, 0, 0), "g"));
        ValidationSet set = ValidationSet.of("t", pairs, List.of(b("d", 1, 0.5f, 0)));
        assertEquals(3, set.candidates().size());
        RetrievalMetrics m = RetrievalEvaluator.evaluate(set, IDENTITY);
        assertEquals(1.0, m.queryToCandidate().at1(), "c1 is relevant through the group");
        assertEquals(1.0, m.candidateToQuery().at1(), "the distractor is not an anchor of the reverse direction");
    }

    @Test
    void tiesCountAgainstTheModel() {
        List<ValidationSet.Pair> pairs = List.of(
                new ValidationSet.Pair(a("q0", 1, 0, 0), b("c0", 0, 1, 0)),
                new ValidationSet.Pair(a("q1", 1, 0, 0), b("c1", 0, 1, 0.0f)));
        // c0 and c1 are identical vectors: neither query can rank its own first without a tie.
        RetrievalMetrics m = RetrievalEvaluator.evaluate(ValidationSet.of("t", pairs), IDENTITY);
        assertEquals(0.0, m.queryToCandidate().at1());
    }

    @Test
    void inconsistentSetsAreRejected() {
        assertThrows(InvalidTrainingInputException.class, () -> ValidationSet.of("t", List.of()));
        assertThrows(InvalidTrainingInputException.class, () -> ValidationSet.of("t", List.of(
                new ValidationSet.Pair(a("q", 1, 0, 0), b("c", 1, 0, 0)),
                new ValidationSet.Pair(b("q2", 1, 0, 0), b("c2", 1, 0, 0)))));
        assertThrows(InvalidTrainingInputException.class, () -> RetrievalEvaluator.evaluate(
                ValidationSet.of("t", List.of(new ValidationSet.Pair(a("q", 1, 0, 0), new FeatureItem("x", "c", new float[] {1, 0, 0})))),
                IDENTITY));
    }
}
