package io.tessera.training;

/**
 * Recall@1/5/10 of one task in both directions.
 *
 * @param queryToCandidate fraction of queries with a relevant candidate in the top k of the gallery
 * @param candidateToQuery fraction of candidates (with at least one relevant query) whose relevant query is in
 *                         the top k of all queries
 */
public record RetrievalMetrics(String task, Recall queryToCandidate, Recall candidateToQuery, int queries,
                               int candidates) {

    public record Recall(double at1, double at5, double at10) {
    }

    /** Mean of recall@1 of both directions. */
    public double meanRecallAt1() {
        return (queryToCandidate.at1 + candidateToQuery.at1) / 2;
    }
}
