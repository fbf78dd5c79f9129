package io.tessera.stack;

/**
 * A stack operation failed. The message is one line that says what is wrong and what to do;
 * the subclasses tell the causes apart.
 */
public class StackException extends RuntimeException {

    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Another program listens on a port the stack needs. */
    public static final class PortTakenException extends StackException {
        public PortTakenException(String message) { super(message); }
    }

    /** A tool the stack needs (Python 3.10+ with venv, a JDK) is missing. */
    public static final class PrerequisiteMissingException extends StackException {
        public PrerequisiteMissingException(String message) { super(message); }
    }

    /** Fetching a server (Maven wrapper) or creating the virtualenv (pip) failed. */
    public static final class InstallException extends StackException {
        public InstallException(String message, Throwable cause) { super(message, cause); }
        public InstallException(String message) { super(message); }
    }

    /** A server was launched but did not become ready in time, or exited. */
    public static final class StartupException extends StackException {
        public StartupException(String message) { super(message); }
        public StartupException(String message, Throwable cause) { super(message, cause); }
    }
}
