package io.tessera.stack.internal;

import io.tessera.stack.StackException;
import java.time.Duration;
import java.time.Instant;

final class Readiness {

    private Readiness() { }

    /** Fails fast when the process died instead of waiting for the deadline. */
    static void checkAlive(Server server) {
        if (!server.process().isRunning()) {
            throw new StackException.StartupException(server.part().id() + " exited during start-up; "
                    + server.process().endOfLog(20));
        }
    }

    static void awaitPort(Server server, String host, int port, Instant deadline) {
        while (!Ports.accepting(host, port)) {
            checkAlive(server);
            if (Instant.now().isAfter(deadline)) {
                throw new StackException.StartupException(server.part().id() + " did not open " + host + ":" + port
                        + " in time: see " + server.process().logFile());
            }
            pause();
        }
    }

    static void pause() {
        try {
            Thread.sleep(Duration.ofMillis(250));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException.StartupException("interrupted while waiting for the stack", e);
        }
    }
}
