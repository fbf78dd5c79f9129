package io.tessera.stack;

import java.util.List;

public record StackStatus(List<PartStatus> parts) {

    public StackStatus {
        parts = List.copyOf(parts);
    }

    public boolean allUp() {
        return parts.stream().allMatch(PartStatus::up);
    }

    public boolean anyOurs() {
        return parts.stream().anyMatch(p -> p.pid().isPresent());
    }

    public PartStatus of(StackPart part) {
        return parts.stream().filter(p -> p.part() == part).findFirst().orElseThrow();
    }
}
