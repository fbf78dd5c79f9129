package io.tessera.registry;

import java.util.List;

/**
 * The registry's verdict on a candidate schema.
 *
 * @param compatible whether the schema may be registered as the subject's next version
 * @param messages why not, in the registry's words (empty when compatible, or when the registry gives no reasons)
 */
public record CompatibilityResult(boolean compatible, List<String> messages) {

    public CompatibilityResult {
        messages = List.copyOf(messages);
    }
}
