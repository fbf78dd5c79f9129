package io.tessera.demo.run;

import io.tessera.demo.dataset.Task;
import java.util.List;

/**
 * Retrieval quality on one task: for each query the rank (1-based) of the right answer among the hits, or 0 when it
 * was not among them.
 *
 * @param modelVersion the model version search-api answered with
 */
public record Recall(Task task, int modelVersion, List<Integer> ranks) {

    public Recall {
        ranks = List.copyOf(ranks);
    }

    public int queries() {
        return ranks.size();
    }

    /** The share of queries whose answer was among the first {@code k} hits. */
    public double at(int k) {
        if (ranks.isEmpty()) {
            return 0;
        }
        return ranks.stream().filter(r -> r > 0 && r <= k).count() / (double) ranks.size();
    }
}
