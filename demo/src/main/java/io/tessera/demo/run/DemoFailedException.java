package io.tessera.demo.run;

/**
 * The demo could not go on: {@code step} names the phase and the message says what is missing or what to look at.
 * The command line prints it on one line, without a stack trace.
 */
public class DemoFailedException extends RuntimeException {

    private final String step;

    public DemoFailedException(String step, String message) {
        super(message);
        this.step = step;
    }

    public DemoFailedException(String step, String message, Throwable cause) {
        super(message, cause);
        this.step = step;
    }

    public String step() {
        return step;
    }
}
