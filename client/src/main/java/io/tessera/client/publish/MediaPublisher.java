package io.tessera.client.publish;

import io.tessera.events.ContentReference;
import io.tessera.events.KafkaConnection;
import io.tessera.events.MediaArrived;
import io.tessera.events.Modality;
import io.tessera.events.Topics;
import io.tessera.registry.RegistryConfig;
import io.tessera.registry.SchemaRegistries;
import io.tessera.serde.SpecificAvroSerializer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes media files to {@code media.arrived} for indexing. Each file becomes one {@link MediaArrived} (see
 * {@link MediaFiles}): small files travel inside the event, larger ones are uploaded to an S3-compatible bucket and
 * published as an {@code s3://} reference, or, without a bucket, as a {@code file:} reference to this machine's path
 * (the indexers must then have that directory among their file roots). The mediaId is derived from tenant and content,
 * so publishing a file again replaces the item instead of duplicating it.
 *
 * <pre>{@code
 * try (MediaPublisher publisher = MediaPublisher.builder(KafkaConnection.plaintext("kafka:9092"), registryUrl)
 *         .uploadTo(new ObjectStoreTarget(URI.create("http://s3:8333"), "tessera", "us-east-1", key, secret))
 *         .build()) {
 *     MediaPublisher.Result r = publisher.publish("acme", List.of(Path.of("photos")), MediaPublisher.Item.NONE);
 * }
 * }</pre>
 *
 * Not thread-safe: one publisher per thread, or calls one after another.
 */
public final class MediaPublisher implements AutoCloseable {

    /** Below the broker's default message limit of 1 MiB, with room for the rest of the event. */
    public static final long DEFAULT_INLINE_MAX_BYTES = 512L << 10;

    /** How a file's content travelled. */
    public enum Transport { INLINE, S3, FILE }

    /** A file now on {@code media.arrived}. */
    public record Published(Path file, String mediaId, Modality modality, Transport transport) {
    }

    /** A file that was not published, and why (not a type Tessera indexes, empty, refused by the broker, ...). */
    public record Skipped(Path file, String reason) {
    }

    /** What one {@link #publish} call did, file by file, in the order the files were given (directories sorted). */
    public record Result(List<Published> published, List<Skipped> skipped) {
    }

    /**
     * What every item of one call gets.
     *
     * @param attributes  attributes of every item (next to {@code filename}, which is always set); null for none
     * @param instruction a task instruction used when the items are embedded; null for the model's default
     * @param mediaId     the mediaId instead of the derived one: only for a call with exactly one file
     */
    public record Item(Map<String, String> attributes, String instruction, String mediaId) {
        public static final Item NONE = new Item(null, null, null);
    }

    private final KafkaConnection kafka;
    private final String registryUrl;
    private final String topic;
    private final long inlineMaxBytes;
    private final ObjectStoreTarget uploads;
    private final String clientId;
    private KafkaProducer<String, MediaArrived> producer;
    private ObjectUploader uploader;

    private MediaPublisher(Builder b) {
        this.kafka = b.kafka;
        this.registryUrl = b.registryUrl;
        this.topic = Topics.withPrefix(b.topicPrefix, Topics.MEDIA_ARRIVED);
        this.inlineMaxBytes = b.inlineMaxBytes;
        this.uploads = b.uploads;
        this.clientId = b.clientId;
    }

    /**
     * @param kafka       the cluster and its security settings ({@link KafkaConnection#fromEnvironment} reads the
     *                    {@code KAFKA_*} variables the services read)
     * @param registryUrl the schema registry's Confluent API, e.g. {@code http://127.0.0.1:8081/apis/ccompat/v7}
     */
    public static Builder builder(KafkaConnection kafka, String registryUrl) {
        return new Builder(kafka, registryUrl);
    }

    /** The topic events go to. */
    public String topic() {
        return topic;
    }

    /**
     * Publishes files, and the files under directories (walked recursively, hidden files left out). Files that
     * cannot be published are reported in {@link Result#skipped()}; nothing is sent when no file can be.
     *
     * @throws UploadFailedException when a large file could not be uploaded; then nothing of this call is published
     * @throws IllegalArgumentException when {@code item} names a mediaId and there is not exactly one file
     * @throws IOException when a directory cannot be walked
     */
    public Result publish(String tenant, List<Path> filesOrDirectories, Item item) throws IOException {
        if (tenant == null || tenant.isBlank()) {
            throw new IllegalArgumentException("a tenant is required");
        }
        Item it = item == null ? Item.NONE : item;
        List<Path> files = MediaFiles.expand(filesOrDirectories);
        if (it.mediaId() != null && files.size() != 1) {
            throw new IllegalArgumentException("a mediaId needs exactly one file, got " + files.size());
        }
        List<MediaFiles.Prepared> prepared = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (Path file : files) {
            try {
                prepared.add(MediaFiles.prepare(file, tenant, inlineMaxBytes, it.instruction(), it.attributes(),
                        it.mediaId()));
            } catch (IllegalArgumentException | IOException e) {
                skipped.add(new Skipped(file, e.getMessage()));
            }
        }
        if (prepared.isEmpty()) {
            return new Result(List.of(), List.copyOf(skipped));
        }
        // Every upload before any send: a store that is down publishes nothing, rather than half of a directory.
        if (uploads != null) {
            for (MediaFiles.Prepared p : prepared) {
                if (!p.inline()) {
                    ContentReference ref = (ContentReference) p.event().getContent();
                    String uri;
                    try {
                        uri = uploader().upload(p.file(), tenant, ref.getSha256(), ref.getSizeBytes());
                    } catch (RuntimeException e) {
                        throw new UploadFailedException("could not upload " + p.file() + " to "
                                + uploads.describe() + ": " + e.getMessage(), e);
                    }
                    p.event().setContent(ContentReference.newBuilder(ref).setUri(uri).build());
                }
            }
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (MediaFiles.Prepared p : prepared) {
            try {
                sent.add(producer().send(new ProducerRecord<>(topic, p.mediaId(), p.event())));
                refused.add(null);
            } catch (RuntimeException e) {
                // Serialisation (the schema registry) fails in send() itself, not in the future.
                sent.add(null);
                refused.add(e.getMessage());
            }
        }
        producer().flush();
        List<Published> published = new ArrayList<>();
        for (int i = 0; i < prepared.size(); i++) {
            MediaFiles.Prepared p = prepared.get(i);
            if (sent.get(i) == null) {
                skipped.add(new Skipped(p.file(), "not published: " + refused.get(i)));
                continue;
            }
            try {
                sent.get(i).get();
                Transport how = p.inline() ? Transport.INLINE : uploads != null ? Transport.S3 : Transport.FILE;
                published.add(new Published(p.file(), p.mediaId(), p.event().getModality(), how));
            } catch (ExecutionException e) {
                skipped.add(new Skipped(p.file(), "not published: " + e.getCause().getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for Kafka to take " + p.file(), e);
            }
        }
        return new Result(List.copyOf(published), List.copyOf(skipped));
    }

    /** Opened on first use: a call whose files are all refused never reaches for the broker or the store. */
    private KafkaProducer<String, MediaArrived> producer() {
        if (producer == null) {
            Map<String, Object> config = kafka.clientConfig(Map.of(
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.CLIENT_ID_CONFIG, clientId,
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000,
                    ProducerConfig.MAX_REQUEST_SIZE_CONFIG, (int) Math.max(1 << 20, inlineMaxBytes + (64 << 10))));
            producer = new KafkaProducer<>(config, new StringSerializer(), new SpecificAvroSerializer<>(
                    SchemaRegistries.shared(RegistryConfig.of(registryUrl)), Map.of(), false));
        }
        return producer;
    }

    private ObjectUploader uploader() {
        if (uploader == null) {
            uploader = new ObjectUploader(uploads);
        }
        return uploader;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close();
        }
        if (uploader != null) {
            uploader.close();
        }
    }

    public static final class Builder {
        private final KafkaConnection kafka;
        private final String registryUrl;
        private String topicPrefix = "";
        private long inlineMaxBytes = DEFAULT_INLINE_MAX_BYTES;
        private ObjectStoreTarget uploads;
        private String clientId = "tessera-publish";

        private Builder(KafkaConnection kafka, String registryUrl) {
            this.kafka = Objects.requireNonNull(kafka, "kafka");
            if (registryUrl == null || registryUrl.isBlank()) {
                throw new IllegalArgumentException("a schema registry URL is required");
            }
            this.registryUrl = registryUrl;
        }

        /** Prefix of the topic names (the services' {@code tessera.topics.prefix}). */
        public Builder topicPrefix(String prefix) {
            this.topicPrefix = prefix == null ? "" : prefix;
            return this;
        }

        /** Files up to this size travel inside the event; keep well below the broker's message limit. */
        public Builder inlineMaxBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("inlineMaxBytes must not be negative, was " + bytes);
            }
            this.inlineMaxBytes = bytes;
            return this;
        }

        /** Larger files are uploaded here and published as {@code s3://} references; without it, as {@code file:}. */
        public Builder uploadTo(ObjectStoreTarget target) {
            this.uploads = target;
            return this;
        }

        public Builder clientId(String id) {
            this.clientId = Objects.requireNonNull(id, "id");
            return this;
        }

        public MediaPublisher build() {
            return new MediaPublisher(this);
        }
    }
}
