package io.tessera.embedding;

import java.util.Objects;

/**
 * A text to embed, with the task whose instruction template (from the model's manifest) is put before it, or an
 * explicit instruction that replaces the template's representation prompt (a publisher's
 * {@code MediaArrived.instruction}). A null task means the manifest's default task.
 */
public record TextInput(String text, String task, String instruction) {
    public TextInput {
        Objects.requireNonNull(text, "text");
    }

    public static TextInput of(String text) {
        return new TextInput(text, null, null);
    }

    public static TextInput of(String text, String task) {
        return new TextInput(text, task, null);
    }
}
