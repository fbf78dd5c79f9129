package io.tessera.stack.internal;

import io.tessera.stack.BackgroundProcess;
import io.tessera.stack.StackPart;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** One server of the local stack: how to install, launch, check and stop it. */
public interface Server {

    StackPart part();

    /** The pinned version (or, once installed, the installed one). */
    String version();

    String address();

    /** Every port the server binds; all must be free before it starts. */
    List<Integer> ports();

    /** The option or variable to mention when a port is taken. */
    String portHint();

    BackgroundProcess process();

    boolean installed();

    /** Fails fast (PrerequisiteMissingException) when {@link #install} could not work, before anything starts. */
    void checkInstallable();

    /** Fetches or builds what the server needs; reports what it does through {@code activity}. */
    void install(Consumer<String> activity);

    /** Writes configuration and prepares storage (e.g. formats Kafka's log directory on first start). */
    void prepare(Consumer<String> activity);

    List<String> command();

    Map<String, String> environment();

    Path workDir();

    /** Returns when the server answers a real client request; throws StartupException once {@code deadline} passes. */
    void awaitReady(Instant deadline, Consumer<String> activity);

    /** The stop sequence: the signals and how long to wait after each. */
    List<BackgroundProcess.StopStep> stopSteps();
}
