package io.tessera.stack;

public enum PartState {
    /** Our process is alive and its port accepts connections. */
    UP,
    /** Our process is alive but its port does not accept connections (yet). */
    STARTING,
    /** Nothing of ours runs and the port is free. */
    DOWN,
    /** Nothing of ours runs, but another program holds the port. */
    PORT_TAKEN
}
