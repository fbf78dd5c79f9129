package io.tessera.demo.dataset;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A curated training pair, one JSON object per line of {@code pairs.jsonl}, with exactly the fields of the
 * {@code CuratedPair} schema: {@code createdAt} is epoch milliseconds (the schema's timestamp-millis).
 * Every negative differs from the positive in exactly one attribute that the query names.
 */
public record TrainingPair(String pairId, Task task, PairItem query, PairItem positive, List<PairItem> negatives,
        double weight, String source, long createdAt) {

    public TrainingPair {
        Objects.requireNonNull(pairId, "pairId");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(positive, "positive");
        negatives = List.copyOf(negatives);
    }

    /** This pair with every relative content URI resolved against {@code directory} (the pairs file's folder). */
    public TrainingPair resolvedAgainst(Path directory) {
        return new TrainingPair(pairId, task, query.resolvedAgainst(directory), positive.resolvedAgainst(directory),
                negatives.stream().map(n -> n.resolvedAgainst(directory)).toList(), weight, source, createdAt);
    }
}
