package io.tessera.training;

import java.util.Map;
import java.util.TreeMap;

/** Retrieval metrics of several tasks, by task name. */
public record RetrievalReport(Map<String, RetrievalMetrics> byTask) {

    public RetrievalReport {
        byTask = java.util.Collections.unmodifiableMap(new TreeMap<>(byTask));
    }

    /** Mean over tasks of recall@1 of both directions: the default score for greedy souping and gating. */
    public double meanRecallAt1() {
        return byTask.values().stream().mapToDouble(RetrievalMetrics::meanRecallAt1).average().orElse(Double.NaN);
    }

    /** Mean over tasks of query-to-candidate recall@1. */
    public double meanQueryToCandidateAt1() {
        return byTask.values().stream().mapToDouble(m -> m.queryToCandidate().at1()).average().orElse(Double.NaN);
    }
}
