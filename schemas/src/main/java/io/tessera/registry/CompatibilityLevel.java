package io.tessera.registry;

/** The compatibility rules of the Confluent API. Tessera runs its subjects under {@link #BACKWARD}. */
public enum CompatibilityLevel {
    NONE,
    BACKWARD,
    BACKWARD_TRANSITIVE,
    FORWARD,
    FORWARD_TRANSITIVE,
    FULL,
    FULL_TRANSITIVE
}
