package io.tessera.demo.dataset;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Which side of the held-out line an item is on. {@code EVAL} items show only held-out attribute combinations and
 * appear in evaluation queries only; {@code TRAIN} items show none and are the only items training pairs reference.
 * Both are indexed: the evaluation searches over everything.
 */
public enum Split {
    TRAIN("train"), EVAL("eval");

    private final String json;

    Split(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }

    @JsonCreator
    public static Split fromJson(String value) {
        for (Split split : values()) {
            if (split.json.equals(value)) {
                return split;
            }
        }
        throw new IllegalArgumentException("unknown split '" + value + "' (expected train or eval)");
    }
}
