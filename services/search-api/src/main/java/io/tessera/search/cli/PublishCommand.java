package io.tessera.search.cli;

import io.tessera.events.ContentReference;
import io.tessera.events.MediaArrived;
import io.tessera.events.Topics;
import io.tessera.registry.RegistryConfig;
import io.tessera.registry.SchemaRegistries;
import io.tessera.serde.SpecificAvroSerializer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./tessera publish --tenant T FILE|DIR…}: publishes media files to {@code media.arrived}, prints their mediaIds. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {"Publish media files (images, videos, PDFs, texts) to media.arrived for indexing.",
                "Small files travel inline; larger ones are uploaded to an S3-compatible bucket (by default the local"
                        + " stack's) and published as an s3:// reference, or with --large-files file as a file:"
                        + " reference (the indexers must have the directory among their file roots).",
                "Prints one line per file: mediaId, modality, how, path."})
public final class PublishCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--tenant", required = true, description = "the tenant the items belong to")
    String tenant;

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "files, or directories (walked recursively)")
    List<Path> paths;

    @Option(names = "--inline-max-bytes", defaultValue = "524288",
            description = "files up to this size are sent inline (default ${DEFAULT-VALUE}; Kafka's default message"
                    + " limit is 1 MiB)")
    long inlineMaxBytes;

    @Option(names = {"-a", "--attribute"}, paramLabel = "KEY=VALUE", description = "an attribute for every item")
    Map<String, String> attributes;

    @Option(names = "--instruction", description = "a task instruction used when the items are embedded")
    String instruction;

    @Option(names = "--media-id", description = "the mediaId (one file only; default: derived from tenant and content)")
    String mediaId;

    @Option(names = "--large-files", defaultValue = "s3", paramLabel = "s3|file",
            description = "how files above --inline-max-bytes travel: s3 (uploaded, an s3:// reference; default) or"
                    + " file (a file: reference to this machine's path)")
    String largeFiles;

    @Mixin
    EventBusOptions bus;

    @Mixin
    ObjectStoreOptions objectStore;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Path> files = expand(paths);
        if (mediaId != null && files.size() != 1) {
            err.println("publish: --media-id needs exactly one file, got " + files.size());
            return 2;
        }
        List<MediaFiles.Prepared> prepared = new ArrayList<>();
        int skipped = 0;
        for (Path file : files) {
            try {
                prepared.add(MediaFiles.prepare(file, tenant, inlineMaxBytes, instruction, attributes, mediaId));
            } catch (IllegalArgumentException | IOException e) {
                err.println("publish: skipping " + file + ": " + e.getMessage());
                skipped++;
            }
        }
        if (prepared.isEmpty()) {
            err.println("publish: nothing to publish");
            return 1;
        }
        if (!largeFiles.equals("s3") && !largeFiles.equals("file")) {
            err.println("publish: --large-files must be s3 or file, was '" + largeFiles + "'");
            return 2;
        }
        List<String> how = new ArrayList<>();
        if (largeFiles.equals("s3") && prepared.stream().anyMatch(p -> !p.inline())) {
            try (ObjectUploader uploader = new ObjectUploader(objectStore)) {
                for (MediaFiles.Prepared p : prepared) {
                    if (!p.inline()) {
                        ContentReference ref = (ContentReference) p.event().getContent();
                        String uri = uploader.upload(p.file(), tenant, ref.getSha256(), ref.getSizeBytes());
                        p.event().setContent(ContentReference.newBuilder(ref).setUri(uri).build());
                    }
                }
            } catch (RuntimeException e) {
                err.println("publish: could not upload large files to " + objectStore.endpoint() + " bucket "
                        + objectStore.bucket() + ": " + e.getMessage() + " (is the stack up? or use --large-files file)");
                return 1;
            }
        }
        for (MediaFiles.Prepared p : prepared) {
            how.add(p.inline() ? "inline" : largeFiles.equals("s3") ? "s3:" : "file:");
        }
        String topic = Topics.withPrefix(bus.topicPrefix(), Topics.MEDIA_ARRIVED);
        int published = 0;
        try (KafkaProducer<String, MediaArrived> producer = producer()) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (MediaFiles.Prepared p : prepared) {
                sent.add(producer.send(new ProducerRecord<>(topic, p.mediaId(), p.event())));
            }
            producer.flush();
            for (int i = 0; i < prepared.size(); i++) {
                MediaFiles.Prepared p = prepared.get(i);
                try {
                    sent.get(i).get();
                    published++;
                    out.printf("%s\t%s\t%s\t%s%n", p.mediaId(), p.event().getModality(), how.get(i), p.file());
                } catch (ExecutionException e) {
                    err.println("publish: " + p.file() + " was not published: " + e.getCause().getMessage());
                    skipped++;
                }
            }
        }
        out.flush();
        err.printf("publish: %d item(s) to %s for tenant %s%s%n", published, topic, tenant,
                skipped > 0 ? ", " + skipped + " skipped" : "");
        return skipped > 0 ? 1 : 0;
    }

    private KafkaProducer<String, MediaArrived> producer() {
        Map<String, Object> config = bus.kafka().clientConfig(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.CLIENT_ID_CONFIG, "tessera-publish",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, (int) Math.max(1 << 20, inlineMaxBytes + (64 << 10))));
        return new KafkaProducer<>(config, new StringSerializer(), new SpecificAvroSerializer<>(
                SchemaRegistries.shared(RegistryConfig.of(bus.registryUrl())), Map.of(), false));
    }

    static List<Path> expand(List<Path> paths) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(Files::isRegularFile)
                            .filter(f -> !f.getFileName().toString().startsWith("."))
                            .sorted()
                            .forEach(files::add);
                }
            } else {
                files.add(p);
            }
        }
        return files;
    }
}
