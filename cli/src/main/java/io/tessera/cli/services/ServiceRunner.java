package io.tessera.cli.services;

import io.tessera.stack.BackgroundProcess;
import io.tessera.stack.StackConfig;
import io.tessera.stack.StackException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** Starts, checks and stops services as background processes; pids and logs under the stack's runtime directory. */
public final class ServiceRunner {

    /** How much of a failed service's log an error message shows: enough for a Quarkus start-up failure. */
    static final int LOG_TAIL_LINES = 25;

    private final StackConfig stack;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public ServiceRunner(StackConfig stack) {
        this.stack = stack;
    }

    public BackgroundProcess process(ServiceDefinition service) {
        Path jar = jar(service);
        return new BackgroundProcess(service.name(),
                stack.runDir().resolve("services").resolve(service.name() + ".pid"),
                stack.logsDir().resolve("services").resolve(service.name() + ".log"),
                List.of(jar.toString()));
    }

    public String host() {
        return stack.host();
    }

    /** Where the service's output goes. */
    public Path logFile(ServiceDefinition service) {
        return process(service).logFile();
    }

    public Path jar(ServiceDefinition service) {
        return stack.repoRoot().resolve(service.mainJar());
    }

    /** What every service gets: where the stack is, and its own port. */
    public Map<String, String> baseEnvironment(ServiceDefinition service) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrap());
        env.put("TESSERA_REGISTRY_URL", stack.registryUrl());
        env.put("TESSERA_MILVUS_URI", stack.milvusUri());
        env.put("QUARKUS_HTTP_HOST", stack.host());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(service.port()));
        env.put("ORT_DISABLE_TELEMETRY", "1");
        env.put("OPT_OUT_TRACKING", "true");
        // s3:// references (what `./tessera publish` makes of large files) from the local stack's object store.
        env.put("TESSERA_FETCH_S3_ENDPOINT", stack.s3Endpoint());
        env.put("TESSERA_FETCH_S3_REGION", io.tessera.stack.StackConfig.S3_REGION);
        env.put("TESSERA_FETCH_S3_ACCESS_KEY", io.tessera.stack.StackConfig.S3_ACCESS_KEY);
        env.put("TESSERA_FETCH_S3_SECRET_KEY", io.tessera.stack.StackConfig.S3_SECRET_KEY);
        env.put("TESSERA_FETCH_S3_BUCKETS", io.tessera.stack.StackConfig.S3_BUCKET);
        // Production profiles leave schema registration to a release pipeline; the local stack has none.
        env.put("TESSERA_REGISTRY_AUTO_REGISTER", "true");
        // The model store (tessera.models.dir, the one name every service and DefaultModels read).
        env.put("TESSERA_MODELS_DIR", modelStore().toString());
        // State that `stack reset` should wipe with the topics it was built from: under the data directory.
        env.put("TESSERA_STATE_DIR", stack.dataDir().resolve("services").resolve(service.name()).toString());
        env.put("TESSERA_TRAINER_DATA_DIR", stack.dataDir().resolve("services").resolve("trainer").toString());
        env.putAll(service.environment());
        return env;
    }

    /** The local model store: {@code <runtime dir>/models} ({@code .tessera/models} by default). */
    public Path modelStore() {
        return stack.home().resolve("models");
    }

    /** Starts the service unless it runs and waits until it is ready; returns true when it started it. */
    public boolean up(ServiceDefinition service, Duration timeout) {
        if (!start(service, Map.of())) {
            return false;
        }
        awaitReady(service, timeout);
        return true;
    }

    /**
     * Launches the service unless it runs, without waiting for it to be ready; returns true when it launched it.
     *
     * @param extraEnvironment on top of {@link #baseEnvironment} (e.g. the demo's topic prefix and file roots)
     * @throws StackException when the jar is missing or another program holds the service's port
     */
    public boolean start(ServiceDefinition service, Map<String, String> extraEnvironment) {
        BackgroundProcess process = process(service);
        if (process.isRunning()) {
            return false;
        }
        Path jar = jar(service);
        if (!Files.isRegularFile(jar)) {
            throw new StackException.PrerequisiteMissingException(service.name() + " is not built (" + jar
                    + " missing): run ./mvnw -pl " + service.module() + " -am package -DskipTests");
        }
        if (portTaken(service.port())) {
            throw new StackException.PrerequisiteMissingException(service.name() + ": port " + stack.host() + ":"
                    + service.port() + " is taken by another program (not started from " + stack.home() + ")");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Dai.djl.offline=true");
        if (Runtime.version().feature() >= 23) {
            // Netty (in Quarkus and the Milvus SDK) and the JNI libraries otherwise open every log with warnings
            // about sun.misc.Unsafe and restricted methods on these JDKs.
            cmd.add("--sun-misc-unsafe-memory-access=allow");
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.addAll(service.jvmOptions());
        cmd.add("-jar");
        cmd.add(jar.toString());
        Map<String, String> env = baseEnvironment(service);
        env.putAll(extraEnvironment);
        process.start(cmd, env, stack.runDir().resolve("services").resolve(service.name()));
        return true;
    }

    private boolean portTaken(int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(stack.host(), port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits until the service answers 200 on {@code /q/health/ready}. */
    public void awaitReady(ServiceDefinition service, Duration timeout) {
        awaitReady(service, process(service), Instant.now().plus(timeout));
    }

    private void awaitReady(ServiceDefinition service, BackgroundProcess process, Instant deadline) {
        URI ready = URI.create("http://" + stack.host() + ":" + service.port() + "/q/health/ready");
        while (true) {
            if (!process.isRunning()) {
                throw new StackException.StartupException(service.name() + " exited during start-up; "
                        + process.endOfLog(LOG_TAIL_LINES));
            }
            try {
                if (http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(3)).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException.StartupException("interrupted", e);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new StackException.StartupException(service.name() + " did not report ready at " + ready
                        + " in time; " + process.endOfLog(LOG_TAIL_LINES));
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException.StartupException("interrupted", e);
            }
        }
    }

    public boolean down(ServiceDefinition service) {
        return process(service).stop(BackgroundProcess.terminate(Duration.ofSeconds(20)));
    }

    public OptionalLong pid(ServiceDefinition service) {
        return process(service).runningPid();
    }
}
