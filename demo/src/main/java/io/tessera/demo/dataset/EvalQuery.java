package io.tessera.demo.dataset;

import java.util.Map;

/**
 * A held-out evaluation query ({@code eval.jsonl}): its text names an attribute combination that no training item
 * shows and no training pair names, and exactly one item (or moment, or page) of its modality matches it.
 */
public record EvalQuery(String queryId, Task task, String text, EvalTarget expected, Map<String, String> attributes) {

    public EvalQuery {
        attributes = Map.copyOf(attributes);
    }
}
