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
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** A single-node KRaft broker (broker and controller in one JVM) from Maven Central jars. */
public final class KafkaServer implements Server {

    /** The topic of the readiness round trip. */
    public static final String HEALTH_TOPIC = "tessera.stack.health";

    private final StackConfig config;
    private final Path installDir;
    private final Path properties;
    private final Path log4j;
    private final Path logDir;
    private final BackgroundProcess process;

    public KafkaServer(StackConfig config) {
        this.config = config;
        this.installDir = config.cacheDir().resolve("kafka-" + Versions.KAFKA);
        this.properties = config.runDir().resolve("kafka").resolve("server.properties");
        this.log4j = config.runDir().resolve("kafka").resolve("log4j2.properties");
        this.logDir = config.dataDir().resolve("kafka");
        this.process = new BackgroundProcess("kafka", config.runDir().resolve("kafka.pid"),
                config.logsDir().resolve("kafka.log"), List.of("kafka.Kafka", properties.toString()));
    }

    @Override public StackPart part() { return StackPart.KAFKA; }
    @Override public String version() { return Versions.KAFKA; }
    @Override public String address() { return config.kafkaBootstrap(); }
    @Override public List<Integer> ports() {
        return config.kafkaSecurePort() == 0 ? List.of(config.kafkaPort(), config.kafkaControllerPort())
                : List.of(config.kafkaPort(), config.kafkaControllerPort(), config.kafkaSecurePort());
    }
    @Override public String portHint() { return "--kafka-port/--kafka-controller-port (TESSERA_KAFKA_PORT/TESSERA_KAFKA_CONTROLLER_PORT)"; }
    @Override public BackgroundProcess process() { return process; }
    @Override public Path workDir() { return config.runDir().resolve("kafka"); }

    @Override
    public boolean installed() {
        return Files.isRegularFile(installDir.resolve(".complete"));
    }

    @Override
    public void checkInstallable() {
        MavenWrapper.checkAvailable(config);
    }

    @Override
    public void install(Consumer<String> activity) {
        activity.accept("installing: resolving the broker's jars with the Maven wrapper");
        Path staged = installDir.resolveSibling(installDir.getFileName() + ".staging");
        FileTrees.deleteRecursively(staged);
        MavenWrapper.run(config, "kafka-server.pom.xml",
                Map.of("kafka.version", Versions.KAFKA, "lib.dir", staged.resolve("libs").toString()),
                config.logsDir().resolve("install-kafka.log"));
        try {
            Files.writeString(staged.resolve(".complete"), Versions.KAFKA + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FileTrees.replace(staged, installDir);
    }

    @Override
    public void prepare(Consumer<String> activity) {
        try {
            Files.createDirectories(properties.getParent());
            Files.createDirectories(logDir);
            Files.writeString(properties, serverProperties(), StandardCharsets.UTF_8);
            Files.writeString(log4j, Resources.text("servers/kafka-log4j2.properties"), StandardCharsets.UTF_8);
            if (config.kafkaSecurePort() != 0) {
                ensureTlsMaterial(activity);
            }
            if (!Files.isRegularFile(logDir.resolve("meta.properties"))) {
                activity.accept("formatting storage (first start)");
                format();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void format() throws IOException {
        List<String> cmd = List.of(java(), "-Xmx256m", "-Dlog4j2.configurationFile=" + log4j.toUri(),
                "-cp", installDir.resolve("libs") + "/*", "kafka.tools.StorageTool",
                "format", "-t", Uuid.randomUuid().toString(), "-c", properties.toString(), "--ignore-formatted");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(process.logFile().toFile())).start();
        try {
            if (!p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new StackException.StartupException("formatting Kafka's storage in " + logDir
                        + " failed: see " + process.logFile() + " (or run 'stack reset' to start from empty storage)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException.StartupException("interrupted while formatting Kafka storage", e);
        }
    }

    /** The broker's PKCS12 key store (self-signed, for 127.0.0.1 and localhost). */
    private Path keyStore() {
        return config.kafkaTlsCertificate().resolveSibling("broker.p12");
    }

    /** This machine's loopback only ever sees it; a cluster's key material comes from its operators. */
    private static final String KEY_STORE_PASSWORD = "tessera-local-keystore";

    /**
     * A self-signed key pair for the secured listener, made once with the JDK's keytool, and its certificate in PEM
     * for the clients' trust store.
     */
    private void ensureTlsMaterial(Consumer<String> activity) throws IOException {
        Path cert = config.kafkaTlsCertificate();
        if (Files.isRegularFile(keyStore()) && Files.isRegularFile(cert)) {
            return;
        }
        activity.accept("making the secured listener's TLS key pair (keytool)");
        Files.createDirectories(cert.getParent());
        Files.deleteIfExists(keyStore());
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        runTool(List.of(keytool, "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "3650", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype", "PKCS12", "-keystore", keyStore().toString(), "-storepass", KEY_STORE_PASSWORD));
        runTool(List.of(keytool, "-exportcert", "-rfc", "-alias", "broker", "-keystore", keyStore().toString(),
                "-storepass", KEY_STORE_PASSWORD, "-file", cert.toString()));
    }

    private void runTool(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(process.logFile().toFile())).start();
        try {
            if (!p.waitFor(1, java.util.concurrent.TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new StackException.StartupException(cmd.get(1) + " for the secured Kafka listener failed: see "
                        + process.logFile());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException.StartupException("interrupted while making the TLS key pair", e);
        }
    }

    /** The secured listener's lines: SASL_SSL with SCRAM-SHA-512; the stack's own parts stay on PLAINTEXT. */
    private String securedListener() {
        if (config.kafkaSecurePort() == 0) {
            return "";
        }
        return String.join("\n",
                "listener.name.sasl_ssl.sasl.enabled.mechanisms=" + StackConfig.KAFKA_SCRAM_MECHANISM,
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config="
                        + "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "listener.name.sasl_ssl.ssl.keystore.type=PKCS12",
                "listener.name.sasl_ssl.ssl.keystore.location=" + keyStore(),
                "listener.name.sasl_ssl.ssl.keystore.password=" + KEY_STORE_PASSWORD,
                "sasl.enabled.mechanisms=" + StackConfig.KAFKA_SCRAM_MECHANISM,
                "");
    }

    String serverProperties() {
        String host = config.host();
        boolean secured = config.kafkaSecurePort() != 0;
        String secure = secured ? ",SASL_SSL://" + host + ":" + config.kafkaSecurePort() : "";
        return securedListener() + String.join("\n",
                "# Written by `tessera stack up` at every start: edit KafkaServer.java, not this file.",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@" + host + ":" + config.kafkaControllerPort(),
                "listeners=PLAINTEXT://" + host + ":" + config.kafkaPort() + ",CONTROLLER://" + host + ":"
                        + config.kafkaControllerPort() + secure,
                "advertised.listeners=PLAINTEXT://" + host + ":" + config.kafkaPort() + secure,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"
                        + (secured ? ",SASL_SSL:SASL_SSL" : ""),
                "log.dirs=" + logDir,
                // One broker: every internal topic with one replica.
                "num.partitions=1",
                "default.replication.factor=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=10",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=10",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // Services and tests create topics by using them.
                "auto.create.topics.enable=true",
                "delete.topic.enable=true",
                // A laptop: keep a week, at most 1 GiB per partition, small segments so retention can act.
                "log.retention.hours=168",
                "log.retention.bytes=1073741824",
                "log.segment.bytes=104857600",
                "log.retention.check.interval.ms=300000",
                "message.max.bytes=10485760",
                "num.network.threads=2",
                "num.io.threads=4",
                "") ;
    }

    @Override
    public List<String> command() {
        return List.of(java(), "-Xms256m", "-Xmx512m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + log4j.toUri(),
                "-Dkafka.logs.dir=" + config.logsDir(),
                "-cp", installDir.resolve("libs") + "/*",
                "kafka.Kafka", properties.toString());
    }

    @Override
    public Map<String, String> environment() {
        return Map.of();
    }

    @Override
    public void awaitReady(Instant deadline, Consumer<String> activity) {
        activity.accept("waiting for the listener " + address());
        Readiness.awaitPort(this, config.host(), config.kafkaPort(), deadline);
        activity.accept("waiting for a produce/consume round trip on " + HEALTH_TOPIC);
        RuntimeException last = null;
        while (Instant.now().isBefore(deadline)) {
            Readiness.checkAlive(this);
            try {
                roundTrip(config.kafkaBootstrap(), Duration.ofSeconds(10));
                if (config.kafkaSecurePort() != 0) {
                    activity.accept("creating the SCRAM user and checking the secured listener " + config.kafkaSecureBootstrap());
                    createScramUser();
                    roundTrip(config.kafkaSecureClientProperties(), Duration.ofSeconds(10));
                }
                return;
            } catch (RuntimeException e) {
                last = e;
                Readiness.pause();
            }
        }
        throw new StackException.StartupException("Kafka did not complete a produce/consume round trip in time"
                + (last == null ? "" : " (" + last.getMessage() + ")") + ": see " + process.logFile());
    }

    /**
     * The secured listener's user, through the plaintext listener. SCRAM credentials live in the cluster metadata
     * (KRaft), so this is idempotent and survives restarts; upserting again just re-salts them.
     */
    private void createScramUser() {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", config.kafkaBootstrap(), "client.id", "tessera-stack-scram"))) {
            admin.alterUserScramCredentials(List.of(new org.apache.kafka.clients.admin.UserScramCredentialUpsertion(
                    StackConfig.KAFKA_SCRAM_USER, new org.apache.kafka.clients.admin.ScramCredentialInfo(
                            org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_512, 8192),
                    StackConfig.KAFKA_SCRAM_PASSWORD))).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("creating the SCRAM user failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Produces one record to the health topic and reads that very record back. */
    public static void roundTrip(String bootstrap, Duration timeout) {
        roundTrip(Map.of("bootstrap.servers", bootstrap), timeout);
    }

    /** The same round trip with any client properties (a secured listener's). */
    public static void roundTrip(Map<String, String> client, Duration timeout) {
        String marker = UUID.randomUUID().toString();
        Map<String, Object> common = new java.util.HashMap<>(client);
        common.put("client.id", "tessera-stack-health");
        common.put("request.timeout.ms", (int) timeout.toMillis());
        RecordMetadata written;
        var producerProps = new java.util.HashMap<String, Object>(common);
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
        producerProps.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis() + 1000);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps)) {
            written = producer.send(new ProducerRecord<>(HEALTH_TOPIC, marker, marker)).get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("produce failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        var consumerProps = new java.util.HashMap<String, Object>(common);
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerProps.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps)) {
            TopicPartition tp = new TopicPartition(written.topic(), written.partition());
            consumer.assign(List.of(tp));
            consumer.seek(tp, written.offset());
            long end = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < end) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (marker.equals(r.value())) {
                        return;
                    }
                }
            }
        }
        throw new IllegalStateException("the record written at offset " + written.offset() + " was not read back");
    }

    @Override
    public List<BackgroundProcess.StopStep> stopSteps() {
        // SIGTERM runs Kafka's controlled shutdown (flushes and closes the logs): give it time.
        return BackgroundProcess.terminate(Duration.ofSeconds(30));
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
