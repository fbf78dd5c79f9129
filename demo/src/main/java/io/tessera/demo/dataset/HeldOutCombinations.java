package io.tessera.demo.dataset;

import java.util.List;

/**
 * The attribute combinations no training item shows and no training pair names: each entry of {@code values} gives
 * one value per name in {@code attributes} (for example ["triangle", "blue"] for ["shape", "color"]).
 */
public record HeldOutCombinations(List<String> attributes, List<List<String>> values) {

    public HeldOutCombinations {
        attributes = List.copyOf(attributes);
        values = values.stream().map(List::copyOf).toList();
    }

    public boolean contains(String shape, String colour) {
        return values.contains(List.of(shape, colour));
    }
}
