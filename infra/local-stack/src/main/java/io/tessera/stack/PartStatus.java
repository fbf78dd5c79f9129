package io.tessera.stack;

import java.util.OptionalLong;

/** One part's state as {@code stack status} shows it. */
public record PartStatus(StackPart part, PartState state, String version, String address, OptionalLong pid) {

    public boolean up() {
        return state == PartState.UP;
    }
}
