package io.tessera.stack;

import java.time.Duration;

/** Receives what each part is doing while {@code up} installs, starts and waits. Called from several threads. */
public interface ProgressListener {

    /** {@code activity} is a short phrase such as "installing (virtualenv)" or "waiting for a produce/consume round trip". */
    void progress(StackPart part, String activity, Duration elapsed);

    /** The part is ready (or was already running: {@code alreadyRunning}). */
    void ready(StackPart part, boolean alreadyRunning, String summary, Duration elapsed);

    /** The part could not be brought up; {@code up} throws once every part has finished trying. */
    default void failed(StackPart part, String reason, Duration elapsed) { }

    ProgressListener SILENT = new ProgressListener() {
        @Override public void progress(StackPart part, String activity, Duration elapsed) { }
        @Override public void ready(StackPart part, boolean alreadyRunning, String summary, Duration elapsed) { }
    };
}
