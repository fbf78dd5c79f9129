package io.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.events.ContentReference;
import io.tessera.events.InlineBytes;
import io.tessera.events.InlineText;
import io.tessera.events.MediaArrived;
import io.tessera.events.Modality;
import io.tessera.events.Topics;
import io.tessera.registry.RegistryConfig;
import io.tessera.registry.SchemaRegistries;
import io.tessera.serde.SpecificAvroDeserializer;
import io.tessera.testing.LocalStackExtension;
import io.tessera.testing.StackEndpoints;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code publish} against the real Kafka and schema registry: what it prints is what lands on media.arrived. */
@ExtendWith(LocalStackExtension.class)
class PublishCommandIT {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13};

    @Test
    void publishesEveryFileWithItsModalityInlineOrByReference(StackEndpoints stack, @TempDir Path dir) throws Exception {
        Files.write(dir.resolve("small.png"), PNG);
        byte[] pdf = new byte[4000];
        System.arraycopy("%PDF-1.4".getBytes(), 0, pdf, 0, 8);
        Files.write(dir.resolve("big.pdf"), pdf);
        Files.writeString(dir.resolve("notes.txt"), "red circles and green squares");
        Files.write(dir.resolve("archive.zip"), new byte[] {'P', 'K', 3, 4});
        String prefix = "it-publish-" + UUID.randomUUID().toString().substring(0, 8) + ".";

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new PublishCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("--tenant", "acme", "--inline-max-bytes", "1000", "-a", "source=it",
                        "--bootstrap-servers", stack.kafkaBootstrap(), "--registry-url", stack.registryUrl(),
                        "--topic-prefix", prefix, dir.toString());

        // The zip is skipped (and said so), which makes the exit code 1; the three others are published.
        assertThat(code).as(err.toString()).isEqualTo(1);
        assertThat(err.toString()).contains("archive.zip", "unknown content type");
        List<String[]> lines = out.toString().lines().map(l -> l.split("\t")).toList();
        assertThat(lines).hasSize(3);
        Map<String, String[]> byFile = new HashMap<>();
        lines.forEach(l -> byFile.put(Path.of(l[3]).getFileName().toString(), l));
        assertThat(byFile.get("small.png")[1]).isEqualTo("IMAGE");
        assertThat(byFile.get("small.png")[2]).isEqualTo("inline");
        assertThat(byFile.get("big.pdf")[1]).isEqualTo("DOCUMENT");
        assertThat(byFile.get("big.pdf")[2]).isEqualTo("s3:");
        assertThat(byFile.get("notes.txt")[1]).isEqualTo("TEXT");

        Map<String, MediaArrived> published = read(stack, Topics.withPrefix(prefix, Topics.MEDIA_ARRIVED), 3);
        MediaArrived image = published.get(byFile.get("small.png")[0]);
        assertThat(image.getTenant()).isEqualTo("acme");
        assertThat(image.getModality()).isEqualTo(Modality.IMAGE);
        assertThat(image.getContentType()).isEqualTo("image/png");
        assertThat(image.getContent()).isInstanceOf(InlineBytes.class);
        assertThat(image.getAttributes()).containsEntry("source", "it").containsEntry("filename", "small.png");
        MediaArrived doc = published.get(byFile.get("big.pdf")[0]);
        ContentReference ref = (ContentReference) doc.getContent();
        // Above the inline limit: uploaded to the local stack's bucket under a content-addressed key.
        assertThat(ref.getUri()).isEqualTo("s3://tessera/media/acme/" + ref.getSha256() + "/big.pdf");
        assertThat(ref.getSizeBytes()).isEqualTo(4000L);
        try (software.amazon.awssdk.services.s3.S3Client s3 = io.tessera.testing.ObjectStores.client()) {
            assertThat(s3.getObjectAsBytes(b -> b.bucket("tessera").key("media/acme/" + ref.getSha256() + "/big.pdf"))
                    .asByteArray()).isEqualTo(pdf);
        }

        // With --large-files file, the same file travels as a file: reference to this machine's path.
        StringWriter fileOut = new StringWriter();
        int fileCode = new CommandLine(new PublishCommand()).setOut(new PrintWriter(fileOut))
                .setErr(new PrintWriter(new StringWriter()))
                .execute("--tenant", "acme", "--inline-max-bytes", "1000", "--large-files", "file",
                        "--bootstrap-servers", stack.kafkaBootstrap(), "--registry-url", stack.registryUrl(),
                        "--topic-prefix", prefix + "file.", dir.resolve("big.pdf").toString());
        assertThat(fileCode).isZero();
        assertThat(fileOut.toString()).contains("\tfile:\t");
        MediaArrived byPath = read(stack, Topics.withPrefix(prefix + "file.", Topics.MEDIA_ARRIVED), 1).values()
                .iterator().next();
        assertThat(((ContentReference) byPath.getContent()).getUri())
                .isEqualTo(dir.resolve("big.pdf").toRealPath().toUri().toString());
        MediaArrived text = published.get(byFile.get("notes.txt")[0]);
        assertThat(((InlineText) text.getContent()).getText()).isEqualTo("red circles and green squares");
    }

    private static Map<String, MediaArrived> read(StackEndpoints stack, String topic, int expected) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, MediaArrived> out = new HashMap<>();
        try (KafkaConsumer<String, MediaArrived> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new SpecificAvroDeserializer<>(SchemaRegistries.shared(RegistryConfig.of(stack.registryUrl())),
                        MediaArrived.class))) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, MediaArrived> r : consumer.poll(Duration.ofMillis(500))) {
                    out.put(r.key(), r.value());
                }
            }
        }
        assertThat(out).hasSize(expected);
        return out;
    }
}
