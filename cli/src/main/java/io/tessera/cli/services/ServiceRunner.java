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
        env.putAll(service.environment());
        return env;
    }

    /** Starts the service unless it runs; returns true when it started it. */
    public boolean up(ServiceDefinition service, Duration timeout) {
        BackgroundProcess process = process(service);
        if (process.isRunning()) {
            return false;
        }
        Path jar = jar(service);
        if (!Files.isRegularFile(jar)) {
            throw new StackException.PrerequisiteMissingException(service.name() + " is not built (" + jar
                    + " missing): run ./mvnw -pl " + service.module() + " -am package -DskipTests");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Dai.djl.offline=true");
        cmd.addAll(service.jvmOptions());
        cmd.add("-jar");
        cmd.add(jar.toString());
        process.start(cmd, baseEnvironment(service), stack.runDir().resolve("services").resolve(service.name()));
        awaitReady(service, process, Instant.now().plus(timeout));
        return true;
    }

    private void awaitReady(ServiceDefinition service, BackgroundProcess process, Instant deadline) {
        URI ready = URI.create("http://" + stack.host() + ":" + service.port() + "/q/health/ready");
        while (true) {
            if (!process.isRunning()) {
                throw new StackException.StartupException(service.name() + " exited during start-up: see " + process.logFile());
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
                throw new StackException.StartupException(service.name() + " did not report ready at " + ready + " in time: see " + process.logFile());
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
