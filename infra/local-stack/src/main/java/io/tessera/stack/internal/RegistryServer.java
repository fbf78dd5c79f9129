package io.tessera.stack.internal;

import io.tessera.stack.BackgroundProcess;
import io.tessera.stack.StackConfig;
import io.tessera.stack.StackException;
import io.tessera.stack.StackPart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Apicurio Registry (prebuilt Quarkus app from Maven Central), in memory, Confluent API under /apis/ccompat/v7. */
public final class RegistryServer implements Server {

    private static final String CONFLUENT_JSON = "application/vnd.schemaregistry.v1+json";

    private final StackConfig config;
    private final Path installDir;
    private final BackgroundProcess process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public RegistryServer(StackConfig config) {
        this.config = config;
        this.installDir = config.cacheDir().resolve("apicurio-registry-" + Versions.APICURIO);
        this.process = new BackgroundProcess("registry", config.runDir().resolve("registry.pid"),
                config.logsDir().resolve("registry.log"),
                List.of(runnerJar().toString(), "-Dquarkus.http.port=" + config.registryPort()));
    }

    @Override public StackPart part() { return StackPart.REGISTRY; }
    @Override public String version() { return Versions.APICURIO; }
    @Override public String address() { return config.registryUrl(); }
    @Override public List<Integer> ports() { return List.of(config.registryPort()); }
    @Override public String portHint() { return "--registry-port (TESSERA_REGISTRY_PORT)"; }
    @Override public BackgroundProcess process() { return process; }
    @Override public Path workDir() { return config.runDir().resolve("registry"); }

    private Path runnerJar() {
        return installDir.resolve("apicurio-registry-app-" + Versions.APICURIO + "-runner.jar");
    }

    @Override
    public boolean installed() {
        return Files.isRegularFile(installDir.resolve(".complete")) && Files.isRegularFile(runnerJar());
    }

    @Override
    public void checkInstallable() {
        MavenWrapper.checkAvailable(config);
    }

    @Override
    public void install(Consumer<String> activity) {
        activity.accept("installing: unpacking the Apicurio Registry app with the Maven wrapper (~110 MB)");
        Path staged = installDir.resolveSibling(installDir.getFileName() + ".staging");
        FileTrees.deleteRecursively(staged);
        MavenWrapper.run(config, "apicurio-registry.pom.xml",
                Map.of("apicurio.version", Versions.APICURIO, "install.dir", staged.toString()),
                config.logsDir().resolve("install-registry.log"));
        try {
            Files.writeString(staged.resolve(".complete"), Versions.APICURIO + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FileTrees.replace(staged, installDir);
    }

    @Override
    public void prepare(Consumer<String> activity) {
        // In memory: nothing to prepare. Schemas are gone after a restart (accepted for a local stack).
    }

    @Override
    public List<String> command() {
        return List.of(KafkaServer.java(), "-Xms64m", "-Xmx512m",
                // A low-traffic local registry: C1 only and the serial collector start fastest.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dquarkus.http.host=" + config.host(),
                "-Dquarkus.http.port=" + config.registryPort(),
                "-Dquarkus.log.console.color=false",
                "-Dquarkus.banner.enabled=false",
                // Tests and tools clean up after themselves through the Confluent API.
                "-Dapicurio.rest.deletion.group.enabled=true",
                "-Dapicurio.rest.deletion.artifact.enabled=true",
                "-Dapicurio.rest.deletion.artifact-version.enabled=true",
                "-jar", runnerJar().toString());
    }

    @Override
    public Map<String, String> environment() {
        return Map.of();
    }

    @Override
    public void awaitReady(Instant deadline, Consumer<String> activity) {
        activity.accept("waiting for " + config.registryBaseUrl() + "/health/ready");
        while (true) {
            Readiness.checkAlive(this);
            if (status(get("/health/ready")) == 200) {
                break;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new StackException.StartupException("the registry did not report ready in time: see " + process.logFile());
            }
            Readiness.pause();
        }
        activity.accept("setting global compatibility to BACKWARD");
        setBackwardCompatibility();
    }

    private void setBackwardCompatibility() {
        HttpRequest put = HttpRequest.newBuilder(URI.create(config.registryUrl() + "/config"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", CONFLUENT_JSON)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"BACKWARD\"}"))
                .build();
        HttpResponse<String> response = send(put);
        HttpResponse<String> check = send(HttpRequest.newBuilder(URI.create(config.registryUrl() + "/config"))
                .timeout(Duration.ofSeconds(10)).GET().build());
        if (response.statusCode() != 200 || check.statusCode() != 200 || !check.body().contains("BACKWARD")) {
            throw new StackException.StartupException("could not set the registry's global compatibility to BACKWARD (HTTP "
                    + response.statusCode() + " " + response.body() + "; now " + check.body() + "): see " + process.logFile());
        }
    }

    private int status(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException.StartupException("interrupted", e);
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new StackException.StartupException("the registry stopped answering: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException.StartupException("interrupted", e);
        }
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create(config.registryBaseUrl() + path)).timeout(Duration.ofSeconds(3)).GET().build();
    }

    @Override
    public List<BackgroundProcess.StopStep> stopSteps() {
        return BackgroundProcess.terminate(Duration.ofSeconds(15));
    }
}
