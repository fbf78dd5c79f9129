package io.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.events.EventSchemas;
import io.tessera.events.SampleEvents;
import io.tessera.serde.SpecificAvroDeserializer;
import io.tessera.serde.SpecificAvroSerializer;
import io.tessera.testing.LocalStackExtension;
import io.tessera.testing.StackEndpoints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with Confluent's own Python client ({@code confluent-kafka}: AvroSerializer, AvroDeserializer,
 * SchemaRegistryClient) through the real Kafka and registry, for all four events, both directions.
 * The Python side is src/test/python/interop.py, run with the project virtualenv (.tessera/venv).
 */
@ExtendWith(LocalStackExtension.class)
class PythonInteropIT {

    private static final Duration PYTHON_TIMEOUT = Duration.ofSeconds(120);
    private static Path python;

    /** Samples by event name, then by Kafka key: the same values interop.py holds. */
    private static Map<String, Map<String, SpecificRecord>> samples() {
        Map<String, Map<String, SpecificRecord>> samples = new LinkedHashMap<>();
        samples.put("MediaArrived", Map.of("img-0001", SampleEvents.mediaArrivedInline(1024),
                "vid-0002", SampleEvents.mediaArrivedReference(), "txt-0003", SampleEvents.mediaArrivedText()));
        samples.put("MediaIndexed", Map.of("vid-0002", SampleEvents.mediaIndexed()));
        samples.put("CuratedPair", Map.of("pair-77", SampleEvents.curatedPair()));
        samples.put("ModelVersion", Map.of("tessera-tiny", SampleEvents.modelVersion()));
        return samples;
    }

    @BeforeAll
    static void findThePythonClient() throws Exception {
        String override = System.getProperty("tessera.python");
        String root = System.getProperty("tessera.root", "..");
        python = override != null && !override.isBlank() ? Path.of(override) : Path.of(root, ".tessera", "venv", "bin", "python");
        if (!Files.isExecutable(python)) {
            throw new IllegalStateException("The interop test needs the project virtualenv's Python at " + python
                    + ": run './tessera stack up' (it creates .tessera/venv from infra/local-stack/src/main/python/requirements.txt)");
        }
        Process check = new ProcessBuilder(python.toString(), "-c",
                "import confluent_kafka.schema_registry.avro, confluent_kafka; print(confluent_kafka.version()[0])")
                .redirectErrorStream(true).start();
        String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!check.waitFor(60, TimeUnit.SECONDS) || check.exitValue() != 0) {
            throw new IllegalStateException("The Python at " + python + " cannot import confluent-kafka's Avro serde"
                    + " (confluent-kafka plus fastavro, httpx, attrs, cachetools, authlib must be installed):\n" + out);
        }
    }

    @Test
    void recordsPublishedByPythonConfluentKafkaAreReadByOurDeserializerWithEveryFieldEqual(StackEndpoints stack,
                                                                                            @TempDir Path schemas) throws Exception {
        String prefix = KafkaTopics.unique("interop-py2java") + ".";
        List<String> topics = samples().keySet().stream().map(e -> prefix + e).toList();
        KafkaTopics.create(stack.kafkaBootstrap(), topics);
        for (var event : EventSchemas.TOP_LEVEL.entrySet()) {
            Files.writeString(schemas.resolve(event.getKey() + ".avsc"), EventSchemas.portableJson(event.getValue()));
        }

        String output = runPython("produce", stack, prefix, "--schemas", schemas.toString());
        assertThat(output).contains("PRODUCED CuratedPair pair-77");

        for (var event : samples().entrySet()) {
            Map<String, SpecificRecord> expected = event.getValue();
            Map<String, SpecificRecord> read = new HashMap<>();
            try (var consumer = new KafkaConsumer<String, SpecificRecord>(KafkaTopics.consumer(stack.kafkaBootstrap(),
                    stack.registryUrl(), SpecificAvroDeserializer.class))) {
                consumer.subscribe(List.of(prefix + event.getKey()));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (read.size() < expected.size() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> read.put(r.key(), r.value()));
                }
            }
            assertThat(read).as("%s records published by Python, read by Java", event.getKey()).isEqualTo(expected);
        }
    }

    @Test
    void recordsWrittenByOurSerializerAreReadByPythonConfluentKafkaWithEveryFieldEqual(StackEndpoints stack) throws Exception {
        String prefix = KafkaTopics.unique("interop-java2py") + ".";
        KafkaTopics.create(stack.kafkaBootstrap(), samples().keySet().stream().map(e -> prefix + e).toList());
        try (var producer = new KafkaProducer<String, SpecificRecord>(KafkaTopics.producer(stack.kafkaBootstrap(),
                stack.registryUrl(), SpecificAvroSerializer.class))) {
            for (var event : samples().entrySet()) {
                for (var record : event.getValue().entrySet()) {
                    producer.send(new ProducerRecord<>(prefix + event.getKey(), record.getKey(), record.getValue())).get(30, TimeUnit.SECONDS);
                }
            }
        }

        String output = runPython("consume", stack, prefix, "--timeout", "60");

        assertThat(output).doesNotContain("MISMATCH");
        List<String> matches = output.lines().filter(l -> l.startsWith("MATCH ")).toList();
        assertThat(matches).containsExactlyInAnyOrder("MATCH MediaArrived img-0001", "MATCH MediaArrived vid-0002",
                "MATCH MediaArrived txt-0003", "MATCH MediaIndexed vid-0002", "MATCH CuratedPair pair-77",
                "MATCH ModelVersion tessera-tiny");
    }

    private static String runPython(String mode, StackEndpoints stack, String prefix, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of(python.toString(), script().toString(), mode,
                "--bootstrap", stack.kafkaBootstrap(), "--registry", stack.registryUrl(), "--topic-prefix", prefix));
        command.addAll(List.of(extra));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        // Read on another thread so a chatty process cannot block on a full pipe while we wait.
        var output = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "could not read the output: " + e;
            }
        });
        if (!process.waitFor(PYTHON_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("interop.py " + mode + " did not finish within " + PYTHON_TIMEOUT + ":\n"
                    + output.getNow("(no output)"));
        }
        String text = output.get(10, TimeUnit.SECONDS);
        assertThat(process.exitValue()).as("interop.py %s exit status; output:%n%s", mode, text).isZero();
        return text;
    }

    private static Path script() {
        return Path.of("src", "test", "python", "interop.py").toAbsolutePath();
    }
}
