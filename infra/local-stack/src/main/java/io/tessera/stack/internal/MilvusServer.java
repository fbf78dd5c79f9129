package io.tessera.stack.internal;

import io.tessera.stack.BackgroundProcess;
import io.tessera.stack.StackConfig;
import io.tessera.stack.StackException;
import io.tessera.stack.StackPart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Milvus Lite's gRPC server from the project virtualenv, run through tessera_milvus.py (clean SIGINT/SIGTERM stop). */
public final class MilvusServer implements Server {

    private final StackConfig config;
    private final PythonEnvironment python;
    private final Path script;
    private final Path dataDir;
    private final BackgroundProcess process;

    public MilvusServer(StackConfig config) {
        this.config = config;
        this.python = new PythonEnvironment(config);
        this.script = config.cacheDir().resolve("python").resolve("tessera_milvus.py");
        this.dataDir = config.dataDir().resolve("milvus");
        this.process = new BackgroundProcess("milvus", config.runDir().resolve("milvus.pid"),
                config.logsDir().resolve("milvus.log"),
                List.of(script.toString(), "server", dataDir.toString()));
    }

    @Override public StackPart part() { return StackPart.MILVUS; }
    @Override public String version() { return python.installedVersion("milvus-lite").orElse(Versions.MILVUS_LITE); }
    @Override public String address() { return config.milvusUri(); }
    @Override public List<Integer> ports() { return List.of(config.milvusPort()); }
    @Override public String portHint() { return "--milvus-port (TESSERA_MILVUS_PORT)"; }
    @Override public BackgroundProcess process() { return process; }
    @Override public Path workDir() { return config.runDir().resolve("milvus"); }

    @Override
    public boolean installed() {
        return python.upToDate();
    }

    @Override
    public void checkInstallable() {
        python.checkInterpreter();
    }

    @Override
    public void install(Consumer<String> activity) {
        python.install(activity);
    }

    @Override
    public void prepare(Consumer<String> activity) {
        Resources.extract("python/tessera_milvus.py", script);
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<String> command() {
        return List.of(python.python().toString(), "-u", script.toString(), "server",
                "--data-dir", dataDir.toString(), "--host", config.host(), "--port", Integer.toString(config.milvusPort()));
    }

    @Override
    public Map<String, String> environment() {
        return Map.of("PYTHONUNBUFFERED", "1");
    }

    @Override
    public void awaitReady(Instant deadline, Consumer<String> activity) {
        activity.accept("waiting for the gRPC listener " + config.host() + ":" + config.milvusPort());
        Readiness.awaitPort(this, config.host(), config.milvusPort(), deadline);
        activity.accept("waiting for a Milvus Connect");
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            Readiness.checkAlive(this);
            ProbeResult probe = probe(Duration.ofSeconds(5));
            if (probe.ok()) {
                return;
            }
            last = probe.output();
            Readiness.pause();
        }
        throw new StackException.StartupException("Milvus Lite did not answer Connect in time (" + last + "): see " + process.logFile());
    }

    record ProbeResult(boolean ok, String output) { }

    /** A real gRPC Connect + GetVersion from the virtualenv's client. */
    ProbeResult probe(Duration timeout) {
        try {
            Process p = new ProcessBuilder(python.python().toString(), script.toString(), "probe",
                    "--host", config.host(), "--port", Integer.toString(config.milvusPort()),
                    "--timeout", Long.toString(Math.max(1, timeout.toSeconds())))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(timeout.toSeconds() + 20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new ProbeResult(false, "probe timed out");
            }
            return new ProbeResult(p.exitValue() == 0, out);
        } catch (IOException e) {
            return new ProbeResult(false, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException.StartupException("interrupted", e);
        }
    }

    @Override
    public List<BackgroundProcess.StopStep> stopSteps() {
        // SIGINT first: Milvus Lite closes its write-ahead log only on a clean stop (see docs/platform-notes.md).
        return List.of(new BackgroundProcess.StopStep("INT", Duration.ofSeconds(20)),
                new BackgroundProcess.StopStep("TERM", Duration.ofSeconds(10)),
                new BackgroundProcess.StopStep("KILL", Duration.ofSeconds(5)));
    }
}
