package io.tessera.training;

import java.util.List;

/**
 * One training pair: a query, its positive, and curated (mined) negatives for it, all as features, from
 * one task. Query and positive may come from different towers (text to image) or the same one (text to
 * text); the negatives must be in the positive's tower, since they compete with it as answers.
 *
 * @param weight how much this pair counts in its batch's mean loss (the curated pair's weight; 1 by default)
 */
public record Example(String task, FeatureItem query, FeatureItem positive, List<FeatureItem> negatives, double weight) {

    public Example {
        if (task == null || task.isBlank()) {
            throw new InvalidTrainingInputException("an example needs a task name");
        }
        if (query == null || positive == null) {
            throw new InvalidTrainingInputException("an example of task '" + task + "' needs a query and a positive");
        }
        negatives = negatives == null ? List.of() : List.copyOf(negatives);
        for (FeatureItem n : negatives) {
            if (!n.tower().equals(positive.tower())) {
                throw new InvalidTrainingInputException("negative '" + n.key() + "' is in tower '" + n.tower()
                        + "' but the positive '" + positive.key() + "' is in tower '" + positive.tower()
                        + "': negatives must be candidates of the positive's kind");
            }
        }
        if (!(weight > 0) || !Double.isFinite(weight)) {
            throw new InvalidTrainingInputException("example weight must be positive and finite, got " + weight);
        }
    }

    public Example(String task, FeatureItem query, FeatureItem positive, List<FeatureItem> negatives) {
        this(task, query, positive, negatives, 1.0);
    }
}
