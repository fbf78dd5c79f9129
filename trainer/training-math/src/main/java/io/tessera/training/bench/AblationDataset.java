package io.tessera.training.bench;

import io.tessera.training.Example;
import io.tessera.training.Projection;
import io.tessera.training.ValidationSet;

import java.util.List;
import java.util.Map;

/**
 * A feature source for the ablation: the synthetic problem here, or the demo dataset's features from the
 * real tiny model later. Validation sets pick soup ingredients; test sets are only reported.
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
}
