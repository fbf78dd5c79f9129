package io.tessera.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.tessera.events.IndexStatus;
import io.tessera.events.KafkaConnection;
import io.tessera.events.MediaIndexed;
import io.tessera.events.Topics;
import io.tessera.registry.RegistryConfig;
import io.tessera.registry.SchemaRegistries;
import io.tessera.serde.SpecificAvroDeserializer;
import io.tessera.stack.StackConfig;
import io.tessera.testing.PrivateStack;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline against a broker that only speaks SASL/SCRAM over TLS to its clients: a private stack whose
 * Kafka has a SASL_SSL listener, and every service ({@code ./tessera services up --secured-kafka}) plus the command
 * line ({@code ./tessera publish} after {@code eval "$(./tessera stack kafka-env)"}) given that listener and its
 * settings through the one place they all read, the {@code KAFKA_*} variables. A client that ignored them could not even connect. Images and texts go from
 * {@code publish} through media-catalog (Kafka Streams) and the indexers to Milvus and INDEXED events; search-api's
 * catalog reader and the trainer's readers and channels must come up on the same listener.
 */
class SecuredKafkaIT {

    private static Path root;
    private static Path work;
    private static PrivateStack stack;
    private static Map<String, String> cliEnvironment;

    @BeforeAll
    static void securedStack() throws Exception {
        root = StackConfig.findRepoRoot(Path.of("").toAbsolutePath());
        work = Files.createDirectories(root.resolve("tests/target/secured-kafka-it"));
        stack = PrivateStack.secured(Files.createTempDirectory(work, "stack-")).up();
        StackConfig c = stack.config();
        cliEnvironment = new HashMap<>(Map.of(
                "TESSERA_HOME", c.home().toString(),
                "TESSERA_KAFKA_PORT", Integer.toString(c.kafkaPort()),
                "TESSERA_KAFKA_CONTROLLER_PORT", Integer.toString(c.kafkaControllerPort()),
                "TESSERA_KAFKA_SECURE_PORT", Integer.toString(c.kafkaSecurePort()),
                "TESSERA_REGISTRY_PORT", Integer.toString(c.registryPort()),
                "TESSERA_MILVUS_PORT", Integer.toString(c.milvusPort()),
                "TESSERA_S3_PORT", Integer.toString(c.s3Port()),
                // publish registers its schemas here: the private stack's registry, not the default one.
                "TESSERA_REGISTRY_URL", c.registryUrl()));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (cliEnvironment != null) {
                tessera(Duration.ofMinutes(2), "services", "down");
            }
        } finally {
            if (stack != null) {
                stack.close();
            }
        }
    }

    @Test
    void everyServiceAndTheCommandLineWorkThroughSaslScramOverTls() throws Exception {
        StackConfig c = stack.config();
        // Every service through the secured listener only, with the KAFKA_* settings a secured cluster needs.
        tessera(Duration.ofMinutes(9), "services", "up", "--no-build", "--timeout", "400", "--secured-kafka");
        // The same settings for the command line, the way the README tells a user: eval "$(./tessera stack kafka-env)".
        Map<String, String> kafkaEnv = new HashMap<>();
        for (String line : tessera(Duration.ofMinutes(1), "stack", "kafka-env").split("\n")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^export (KAFKA_[A-Z_]+)='(.*)'$").matcher(line);
            if (m.matches()) {
                kafkaEnv.put(m.group(1), m.group(2).replace("'\\''", "'"));
            }
        }
        assertThat(kafkaEnv).containsEntry("KAFKA_BOOTSTRAP_SERVERS", c.kafkaSecureBootstrap())
                .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL").containsKey("KAFKA_SASL_JAAS_CONFIG");
        cliEnvironment.putAll(kafkaEnv);

        Path media = Files.createDirectories(work.resolve("media-" + UUID.randomUUID()));
        Color[] colours = {Color.RED, Color.GREEN, Color.BLUE};
        for (int i = 0; i < colours.length; i++) {
            BufferedImage image = new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(colours[i]);
            g.fillOval(10, 8, 60, 48);
            g.dispose();
            ImageIO.write(image, "jpg", media.resolve("shape-" + i + ".jpg").toFile());
        }
        Files.writeString(media.resolve("note-1.txt"), "A red circle drawn on a white page.");
        Files.writeString(media.resolve("note-2.txt"), "Kafka speaks SASL over TLS to every client here.");
        // The private stack is this test's alone, and search-api without API keys serves the default tenant.
        String tenant = "default";
        String published = tessera(Duration.ofMinutes(3), "publish", "--tenant", tenant, media.toString());

        Set<String> indexed = ConcurrentHashMap.newKeySet();
        Set<String> failed = ConcurrentHashMap.newKeySet();
        Map<String, Object> consumer = new HashMap<>(c.kafkaSecureClientProperties());
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, "secured-it-" + UUID.randomUUID());
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, MediaIndexed> events = new KafkaConsumer<>(consumer, new StringDeserializer(),
                new SpecificAvroDeserializer<>(SchemaRegistries.shared(RegistryConfig.of(c.registryUrl())),
                        MediaIndexed.class))) {
            events.subscribe(List.of(Topics.MEDIA_INDEXED));
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ZERO).until(() -> {
                events.poll(Duration.ofMillis(500)).forEach(r -> {
                    if (r.value() != null && r.value().getTenant().equals(tenant)) {
                        (r.value().getStatus() == IndexStatus.INDEXED ? indexed : failed).add(r.key());
                    }
                });
                return indexed.size() + failed.size() >= 5;
            });
        }
        assertThat(failed).as("nothing fails (publish said:\n%s)", published).isEmpty();
        assertThat(indexed).hasSize(5);

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> search = http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:8080/v1/search?tenant=" + tenant + "&text=a%20red%20circle")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, search.statusCode(), search.body());
        assertThat(search.body()).contains("\"mediaId\"");
        // The trainer's raw readers (media.catalog, models.published, end offsets) and channels run on the same
        // listener: it is ready and its catalog table holds what was published.
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            HttpResponse<String> trainer = http.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:8086/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, trainer.statusCode(), trainer.body());
            assertThat(trainer.body()).containsPattern("\"catalogItems\"\\s*:\\s*([5-9]|\\d\\d+)");
        });
    }

    /** Runs {@code ./tessera ARGS} against the private stack; returns its output. */
    private static String tessera(Duration timeout, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(root.resolve("tessera").toString());
        cmd.addAll(List.of(args));
        Path log = work.resolve(args[0] + "-" + (args.length > 1 ? args[1] : "") + "-" + UUID.randomUUID() + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(cliEnvironment);
        Process p = pb.start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroy();
            p.waitFor(60, TimeUnit.SECONDS);
            fail(String.join(" ", args) + " did not finish in " + timeout + ":\n" + tail(log));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", args) + " failed:\n" + tail(log));
        return output;
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    }
}
