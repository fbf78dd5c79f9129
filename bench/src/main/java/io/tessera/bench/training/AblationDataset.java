package io.tessera.bench.training;

import io.tessera.training.Example;
import io.tessera.training.Projection;
import io.tessera.training.SyntheticDataset;
import io.tessera.training.ValidationSet;

import java.util.List;
import java.util.Map;

/**
 * A feature source for the ablation: the synthetic problem, or the demo dataset's features from a real model
 * ({@link DemoDatasetFeatures}). Validation sets pick soup ingredients; test sets are only reported.
 */
public interface AblationDataset {

    /** One line saying what the data is (printed with the table). */
    String description();

    /** The frozen projection of every tower, by tower name. */
    Map<String, Projection> baseProjections();

    List<Example> training();

    /** Used for model selection (greedy souping, choosing the best single ingredient). */
    List<ValidationSet> validation();

    /** Held out from every decision; the table reports these. */
    List<ValidationSet> test();

    /**
     * The synthetic problem: it lives in training-math's tests (they train on it), which cannot implement this
     * interface.
     */
    static AblationDataset of(SyntheticDataset data) {
        record Fixed(String description, Map<String, Projection> baseProjections, List<Example> training,
                     List<ValidationSet> validation, List<ValidationSet> test) implements AblationDataset {
        }
        return new Fixed(data.description(), data.baseProjections(), data.training(), data.validation(), data.test());
    }
}
