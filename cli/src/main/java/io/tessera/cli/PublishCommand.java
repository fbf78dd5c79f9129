package io.tessera.cli;

import io.tessera.client.publish.MediaPublisher;
import io.tessera.client.publish.UploadFailedException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./tessera publish --tenant T FILE|DIR…}: publishes media files to {@code media.arrived} through the client
 * library's {@link MediaPublisher}, prints their mediaIds.
 */
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
        if (!largeFiles.equals("s3") && !largeFiles.equals("file")) {
            err.println("publish: --large-files must be s3 or file, was '" + largeFiles + "'");
            return 2;
        }
        MediaPublisher.Result result;
        String topic;
        try (MediaPublisher publisher = MediaPublisher.builder(bus.kafka(), bus.registryUrl())
                .topicPrefix(bus.topicPrefix()).inlineMaxBytes(inlineMaxBytes)
                .uploadTo(largeFiles.equals("s3") ? objectStore.target() : null).build()) {
            topic = publisher.topic();
            result = publisher.publish(tenant, paths, new MediaPublisher.Item(attributes, instruction, mediaId));
        } catch (IllegalArgumentException e) {
            err.println("publish: " + e.getMessage());
            return 2;
        } catch (UploadFailedException e) {
            err.println("publish: " + e.getMessage() + " (is the stack up? or use --large-files file)");
            return 1;
        } catch (org.apache.kafka.common.KafkaException e) {
            err.println("publish: cannot publish to Kafka at " + bus.bootstrapServers() + ": " + e.getMessage());
            return 1;
        }
        for (MediaPublisher.Skipped s : result.skipped()) {
            err.println("publish: skipping " + s.file() + ": " + s.reason());
        }
        if (result.published().isEmpty() && !result.skipped().isEmpty()) {
            err.println("publish: nothing to publish");
            return 1;
        }
        for (MediaPublisher.Published p : result.published()) {
            String how = switch (p.transport()) {
                case INLINE -> "inline";
                case S3 -> "s3:";
                case FILE -> "file:";
            };
            out.printf("%s\t%s\t%s\t%s%n", p.mediaId(), p.modality(), how, p.file());
        }
        out.flush();
        err.printf("publish: %d item(s) to %s for tenant %s%s%n", result.published().size(), topic, tenant,
                result.skipped().isEmpty() ? "" : ", " + result.skipped().size() + " skipped");
        return result.skipped().isEmpty() ? 0 : 1;
    }
}
