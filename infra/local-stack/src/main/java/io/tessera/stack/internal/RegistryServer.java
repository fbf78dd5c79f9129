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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Apicurio Registry (prebuilt Quarkus app from Maven Central), Confluent API under /apis/ccompat/v7, keeping its
 * schemas in the local Kafka (Apicurio's KafkaSQL storage: a journal topic replayed at start-up), the way Confluent's
 * registry keeps them in {@code _schemas}. So schema ids outlive {@code stack down/up} and registry restarts, and the
 * records already on the topics (the compacted {@code media.catalog} that every backfill replays) stay readable.
 */
public final class RegistryServer implements Server {

    private static final String JOURNAL_TOPIC = StackConfig.REGISTRY_JOURNAL_TOPIC;
    private static final String SNAPSHOTS_TOPIC = StackConfig.REGISTRY_SNAPSHOTS_TOPIC;

    private static final String CONFLUENT_JSON = "application/vnd.schemaregistry.v1+json";
    /** How long the registry waits for Kafka to be started (it may still be installing on a fresh machine). */
    private static final Duration KAFKA_WAIT = Duration.ofMinutes(10);
    /** How long an installed Kafka may stay stopped before the registry gives up on it. */
    private static final Duration KAFKA_STOPPED_WAIT = Duration.ofSeconds(60);

    private final StackConfig config;
    private final KafkaServer kafka;
    private final Path installDir;
    private final BackgroundProcess process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public RegistryServer(StackConfig config, KafkaServer kafka) {
        this.config = config;
        this.kafka = kafka;
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

    /**
     * Waits for Kafka (the registry's storage) and creates the journal topics with the settings a registry's store
     * needs, before Apicurio would auto-create them with the broker's defaults: one partition (the journal is
     * ordered), retention forever (the broker keeps other topics a week; a journal that loses its head loses
     * schemas), and no compaction (Apicurio 3's journal messages are not keyed for it).
     */
    @Override
    public void prepare(Consumer<String> activity) {
        activity.accept("waiting for Kafka at " + config.kafkaBootstrap() + " (the registry keeps its schemas in "
                + JOURNAL_TOPIC + ")");
        Instant deadline = Instant.now().plus(KAFKA_WAIT);
        Instant stoppedSince = null;
        RuntimeException last = null;
        while (true) {
            if (Ports.accepting(config.host(), config.kafkaPort())) {
                try {
                    ensureJournalTopics();
                    return;
                } catch (RuntimeException e) {
                    last = e;
                }
            } else if (kafka.installed() && !kafka.process().isRunning()) {
                stoppedSince = stoppedSince == null ? Instant.now() : stoppedSince;
                if (Instant.now().isAfter(stoppedSince.plus(KAFKA_STOPPED_WAIT))) {
                    throw new StackException.StartupException("the registry keeps its schemas in Kafka, and Kafka is"
                            + " not running at " + config.kafkaBootstrap() + ": start the whole stack with"
                            + " `./tessera stack up` (see " + config.logsDir().resolve("kafka.log") + ")");
                }
            } else {
                stoppedSince = null;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new StackException.StartupException("Kafka did not become reachable at " + config.kafkaBootstrap()
                        + " for the registry's storage in time" + (last == null ? "" : " (" + last.getMessage() + ")"));
            }
            Readiness.pause();
        }
    }

    private void ensureJournalTopics() {
        Map<String, Object> props = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap(),
                AdminClientConfig.CLIENT_ID_CONFIG, "tessera-stack-registry",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        Map<String, String> forever = Map.of(
                TopicConfig.RETENTION_MS_CONFIG, "-1",
                TopicConfig.RETENTION_BYTES_CONFIG, "-1",
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : List.of(JOURNAL_TOPIC, SNAPSHOTS_TOPIC)) {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, 1, (short) 1).configs(forever));
                }
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(15, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create the registry's journal topics: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException.StartupException("interrupted", e);
        }
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
                // Schemas live in Kafka (see prepare): ids survive restarts of the registry and of the stack.
                "-Dapicurio.storage.kind=kafkasql",
                "-Dapicurio.kafkasql.bootstrap.servers=" + config.kafkaBootstrap(),
                "-Dapicurio.kafkasql.topic=" + JOURNAL_TOPIC,
                "-Dapicurio.kafkasql.snapshots.topic=" + SNAPSHOTS_TOPIC,
                "-Dapicurio.storage.snapshot.location=" + workDir(),
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
