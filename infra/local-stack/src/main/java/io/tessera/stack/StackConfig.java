package io.tessera.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Where the local stack lives and which loopback ports it uses.
 *
 * <p>Resolution order for every setting: an explicit value (CLI option), then a system property
 * ({@code tessera.home}, {@code tessera.kafka.port}, ...), then an environment variable
 * ({@code TESSERA_HOME}, {@code TESSERA_KAFKA_PORT}, ...), then the default.
 *
 * @param repoRoot the repository root: the Maven wrapper used to fetch the servers lives there
 * @param home the runtime directory (default {@code <repoRoot>/.tessera}): logs, pids, data, venv, downloads
 * @param host the loopback address every server binds to
 * @param kafkaSecurePort a second Kafka listener with SASL/SCRAM over TLS (0: none), for clients that must prove
 *                        they work against a secured cluster; the stack's own parts keep the plaintext one
 * @param python the Python 3.10+ interpreter used to create the virtualenv
 */
public record StackConfig(
        Path repoRoot,
        Path home,
        String host,
        int kafkaPort,
        int kafkaControllerPort,
        int registryPort,
        int milvusPort,
        int s3Port,
        int kafkaSecurePort,
        String python) {

    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int DEFAULT_KAFKA_CONTROLLER_PORT = 9093;
    public static final int DEFAULT_REGISTRY_PORT = 8081;
    public static final int DEFAULT_MILVUS_PORT = 19530;
    public static final int DEFAULT_S3_PORT = 8333;
    /** The object store listens on {@code s3Port} and the next ports up to this many above it (its inner servers). */
    public static final int S3_PORT_SPAN = 10;
    /** The local object store's bucket, created at start. */
    public static final String S3_BUCKET = "tessera";
    /** The local object store's only credentials (loopback only; a cluster's come from a Secret). */
    public static final String S3_ACCESS_KEY = "tessera";
    public static final String S3_SECRET_KEY = "tessera-local-secret";
    public static final String S3_REGION = "us-east-1";
    /** The SCRAM-SHA-512 user of the secured Kafka listener (loopback only; a cluster's come from a Secret). */
    public static final String KAFKA_SCRAM_USER = "tessera";
    public static final String KAFKA_SCRAM_PASSWORD = "tessera-local-secret";
    public static final String KAFKA_SCRAM_MECHANISM = "SCRAM-SHA-512";
    public static final String LOOPBACK = "127.0.0.1";
    /**
     * The registry's store: every schema change, replayed when the registry starts, kept forever (one partition,
     * no retention limit, no compaction), so schema ids outlive restarts of the registry and of the stack.
     */
    public static final String REGISTRY_JOURNAL_TOPIC = "_tessera-registry-journal";
    /** Where the registry announces its periodic snapshots of the journal. */
    public static final String REGISTRY_SNAPSHOTS_TOPIC = "_tessera-registry-snapshots";

    public StackConfig {
        Objects.requireNonNull(repoRoot, "repoRoot");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(python, "python");
        repoRoot = repoRoot.toAbsolutePath().normalize();
        home = home.toAbsolutePath().normalize();
        checkPort("kafka port", kafkaPort);
        checkPort("kafka controller port", kafkaControllerPort);
        checkPort("registry port", registryPort);
        checkPort("milvus port", milvusPort);
        checkPort("object store (S3) port", s3Port);
        checkPort("object store (S3) port + " + (S3_PORT_SPAN - 1), s3Port + S3_PORT_SPAN - 1);
        if (kafkaSecurePort != 0) {
            checkPort("kafka secure port", kafkaSecurePort);
            if (java.util.stream.IntStream.of(kafkaPort, kafkaControllerPort, registryPort, milvusPort)
                    .anyMatch(p -> p == kafkaSecurePort)) {
                throw new IllegalArgumentException("the kafka secure port " + kafkaSecurePort
                        + " is already another part's port");
            }
        }
        if (java.util.stream.IntStream.of(kafkaPort, kafkaControllerPort, registryPort, milvusPort).distinct().count() != 4) {
            throw new IllegalArgumentException("the four stack ports must differ, got kafka=" + kafkaPort
                    + " controller=" + kafkaControllerPort + " registry=" + registryPort + " milvus=" + milvusPort);
        }
        for (int p : new int[] {kafkaPort, kafkaControllerPort, registryPort, milvusPort}) {
            if (p >= s3Port && p < s3Port + S3_PORT_SPAN) {
                throw new IllegalArgumentException("the object store uses ports " + s3Port + "-" + (s3Port + S3_PORT_SPAN - 1)
                        + ", which include another part's port " + p + ": choose another S3 port (TESSERA_S3_PORT)");
            }
        }
    }

    /** The configuration from system properties, environment variables and defaults. */
    public static StackConfig fromEnvironment() {
        return fromEnvironment(System.getProperties(), System.getenv());
    }

    public static StackConfig fromEnvironment(Properties sys, Map<String, String> env) {
        Path root = setting(sys, env, "tessera.root", "TESSERA_ROOT")
                .map(Path::of)
                .orElseGet(() -> findRepoRoot(Path.of("").toAbsolutePath()));
        Path home = setting(sys, env, "tessera.home", "TESSERA_HOME").map(Path::of).orElse(root.resolve(".tessera"));
        return new StackConfig(
                root,
                home,
                LOOPBACK,
                port(sys, env, "tessera.kafka.port", "TESSERA_KAFKA_PORT", DEFAULT_KAFKA_PORT),
                port(sys, env, "tessera.kafka.controller.port", "TESSERA_KAFKA_CONTROLLER_PORT", DEFAULT_KAFKA_CONTROLLER_PORT),
                port(sys, env, "tessera.registry.port", "TESSERA_REGISTRY_PORT", DEFAULT_REGISTRY_PORT),
                port(sys, env, "tessera.milvus.port", "TESSERA_MILVUS_PORT", DEFAULT_MILVUS_PORT),
                port(sys, env, "tessera.s3.port", "TESSERA_S3_PORT", DEFAULT_S3_PORT),
                port(sys, env, "tessera.kafka.secure.port", "TESSERA_KAFKA_SECURE_PORT", 0),
                setting(sys, env, "tessera.python", "TESSERA_PYTHON").orElse("python3"));
    }

    /** The nearest directory at or above {@code start} holding the Maven wrapper, else {@code start}. */
    public static Path findRepoRoot(Path start) {
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve(".mvn"))) {
                return p;
            }
        }
        return start.toAbsolutePath();
    }

    public StackConfig withHome(Path newHome) {
        return new StackConfig(repoRoot, newHome, host, kafkaPort, kafkaControllerPort, registryPort, milvusPort, s3Port,
                kafkaSecurePort, python);
    }

    public StackConfig withPorts(int kafka, int controller, int registry, int milvus) {
        return new StackConfig(repoRoot, home, host, kafka, controller, registry, milvus, s3Port, kafkaSecurePort, python);
    }

    public StackConfig withS3Port(int port) {
        return new StackConfig(repoRoot, home, host, kafkaPort, kafkaControllerPort, registryPort, milvusPort, port,
                kafkaSecurePort, python);
    }

    /** With a SASL/SCRAM-over-TLS Kafka listener on {@code port} (0: none). */
    public StackConfig withKafkaSecurePort(int port) {
        return new StackConfig(repoRoot, home, host, kafkaPort, kafkaControllerPort, registryPort, milvusPort, s3Port,
                port, python);
    }

    public StackConfig withPython(String newPython) {
        return new StackConfig(repoRoot, home, host, kafkaPort, kafkaControllerPort, registryPort, milvusPort, s3Port,
                kafkaSecurePort, newPython);
    }

    public Path logsDir() { return home.resolve("logs"); }
    public Path runDir() { return home.resolve("run"); }
    public Path dataDir() { return home.resolve("data"); }
    public Path cacheDir() { return home.resolve("cache"); }
    public Path venvDir() { return home.resolve("venv"); }

    public String kafkaBootstrap() { return host + ":" + kafkaPort; }

    /** The secured listener (SASL_SSL, SCRAM-SHA-512); only when {@link #kafkaSecurePort()} is set. */
    public String kafkaSecureBootstrap() {
        if (kafkaSecurePort == 0) {
            throw new IllegalStateException("this stack has no secured Kafka listener (TESSERA_KAFKA_SECURE_PORT)");
        }
        return host + ":" + kafkaSecurePort;
    }

    /** The self-signed certificate (PEM) of the secured listener: what its clients trust. */
    public Path kafkaTlsCertificate() { return runDir().resolve("kafka").resolve("tls").resolve("broker-cert.pem"); }

    /**
     * What a Kafka client needs for the secured listener, as Kafka client properties (without {@code kafka.}):
     * bootstrap, SASL_SSL, SCRAM-SHA-512 with the local user, the broker's certificate as a PEM truststore.
     */
    public Map<String, String> kafkaSecureClientProperties() {
        return Map.of(
                "bootstrap.servers", kafkaSecureBootstrap(),
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", KAFKA_SCRAM_MECHANISM,
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + KAFKA_SCRAM_USER + "\" password=\"" + KAFKA_SCRAM_PASSWORD + "\";",
                "ssl.truststore.type", "PEM",
                "ssl.truststore.location", kafkaTlsCertificate().toString());
    }
    /** The registry's Confluent-compatible API: what Confluent serdes take as schema.registry.url. */
    public String registryUrl() { return "http://" + host + ":" + registryPort + "/apis/ccompat/v7"; }
    /** The registry's root (health, native API). */
    public String registryBaseUrl() { return "http://" + host + ":" + registryPort; }
    public String milvusUri() { return "http://" + host + ":" + milvusPort; }

    /** The object store's S3 endpoint (path-style requests). */
    public String s3Endpoint() { return "http://" + host + ":" + s3Port; }

    private static java.util.Optional<String> setting(Properties sys, Map<String, String> env, String property, String variable) {
        String value = sys.getProperty(property);
        if (value == null || value.isBlank()) {
            value = env.get(variable);
        }
        return value == null || value.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(value.trim());
    }

    private static int port(Properties sys, Map<String, String> env, String property, String variable, int fallback) {
        return setting(sys, env, property, variable).map(v -> {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(property + " / " + variable + " must be a port number, got '" + v + "'", e);
            }
        }).orElse(fallback);
    }

    private static void checkPort(String what, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(what + " must be between 1 and 65535, got " + port);
        }
    }
}
