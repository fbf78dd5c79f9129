package io.tessera.bench.index;

import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.ImageInput;
import io.tessera.embedding.TextInput;
import io.tessera.events.ContentReference;
import io.tessera.events.InlineBytes;
import io.tessera.events.InlineText;
import io.tessera.events.MediaArrived;
import io.tessera.media.DecodeOptions;
import io.tessera.media.DecodedMedia;
import io.tessera.media.MediaDecoder;
import io.tessera.media.MediaSource;
import io.tessera.media.RgbImage;
import io.tessera.media.TextChunk;
import io.tessera.registry.RegistryConfig;
import io.tessera.serde.SerdeConfig;
import io.tessera.serde.SpecificAvroDeserializer;
import io.tessera.vectorstore.ModelSpec;
import io.tessera.vectorstore.VectorFields;
import io.tessera.vectorstore.VectorRow;
import io.tessera.vectorstore.VectorStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The baseline of issue 17: the simplest correct indexing loop a user would write in one Java process, on one thread.
 * Poll up to 32 records of the modality topic → read each value with the Avro deserializer → fetch and decode it →
 * embed the batch's images and texts in batches of 32 on the calling thread ({@link EmbeddingRuntime#embedImages},
 * no batcher) → upsert its rows into a Milvus collection → commit the poll's offsets synchronously. At least once:
 * offsets are committed only after the rows are written; a replay upserts the same primary keys. No catalog, no
 * events, no dead letters (the benchmark's items are all valid).
 *
 * <p>Each step's CPU time on the loop thread is accounted per {@link Stage} (thread CPU time, {@link ThreadMXBean});
 * ONNX Runtime's own pool threads and the Milvus client's I/O threads are accounted by the caller from {@code /proc}.
 */
final class PlainLoop implements AutoCloseable {

    /** Steps of the loop, in order. */
    enum Stage { POLL, AVRO, DECODE, EMBED, WRITE, COMMIT }

    static final int BATCH = 32;

    private final KafkaConsumer<String, byte[]> consumer;
    private final SpecificAvroDeserializer<MediaArrived> avro = new SpecificAvroDeserializer<>();
    private final String topic;
    private final MediaDecoder decoder;
    private final DecodeOptions options;
    private final EmbeddingRuntime runtime;
    private final VectorStore store;
    private final String collection;
    private final String textTask;
    private final ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    private final EnumMap<Stage, Long> cpuNanos = new EnumMap<>(Stage.class);
    private long items;

    PlainLoop(String kafka, String registry, String topic, String group, MediaDecoder decoder, DecodeOptions options,
              EmbeddingRuntime runtime, VectorStore store, String textTask) {
        this.topic = topic;
        this.decoder = decoder;
        this.options = options;
        this.runtime = runtime;
        this.store = store;
        this.textTask = textTask;
        avro.configure(Map.of(RegistryConfig.URL, registry, SerdeConfig.SPECIFIC_AVRO_VALUE_TYPE, MediaArrived.class),
                false);
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, BATCH);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        ModelSpec spec = new ModelSpec(runtime.model().name(), runtime.model().version(), runtime.manifest().dimension());
        this.collection = store.ensureCollection(spec).collection();
        for (Stage s : Stage.values()) {
            cpuNanos.put(s, 0L);
        }
    }

    /** CPU nanoseconds of the loop thread per stage since the last {@link #resetAccounting()}. */
    Map<Stage, Long> cpuNanos() {
        return new EnumMap<>(cpuNanos);
    }

    long items() {
        return items;
    }

    void resetAccounting() {
        cpuNanos.replaceAll((k, v) -> 0L);
        items = 0;
    }

    /**
     * Runs the loop until {@code done} says stop (checked after every commit).
     *
     * @param committed told each committed item's mediaId, after its offset is committed
     */
    void run(java.util.function.BooleanSupplier done, Consumer<String> committed) {
        while (!done.getAsBoolean()) {
            long t = cpu.getCurrentThreadCpuTime();
            ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(20));
            t = account(Stage.POLL, t);
            if (records.isEmpty()) {
                continue;
            }
            List<MediaArrived> arrived = new ArrayList<>(records.count());
            for (ConsumerRecord<String, byte[]> r : records) {
                arrived.add(avro.deserialize(r.topic(), r.value()));
            }
            t = account(Stage.AVRO, t);
            List<DecodedMedia> decoded = new ArrayList<>(arrived.size());
            for (MediaArrived a : arrived) {
                try {
                    decoded.add(decoder.decode(source(a), io.tessera.media.Modality.valueOf(a.getModality().name()),
                            options));
                } catch (io.tessera.media.MediaException e) {
                    // The benchmark's items are all valid; a real loop would log and skip (or dead-letter) here.
                    throw new IllegalStateException(a.getMediaId() + " could not be decoded: " + e.getMessage(), e);
                }
            }
            t = account(Stage.DECODE, t);
            List<VectorRow> rows = embed(arrived, decoded);
            t = account(Stage.EMBED, t);
            store.upsert(collection, rows);
            t = account(Stage.WRITE, t);
            consumer.commitSync();
            account(Stage.COMMIT, t);
            items += arrived.size();
            arrived.forEach(a -> committed.accept(a.getMediaId()));
        }
    }

    private long account(Stage stage, long since) {
        long now = cpu.getCurrentThreadCpuTime();
        cpuNanos.merge(stage, now - since, Long::sum);
        return now;
    }

    private static MediaSource source(MediaArrived a) {
        Object content = a.getContent();
        if (content instanceof InlineBytes inline) {
            ByteBuffer data = inline.getData().duplicate();
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            return MediaSource.bytes(bytes, a.getContentType());
        }
        if (content instanceof InlineText text) {
            return MediaSource.text(text.getText());
        }
        ContentReference ref = (ContentReference) content;
        return MediaSource.reference(ref.getUri(), ref.getSizeBytes(), ref.getSha256());
    }

    /**
     * Every segment's image and text embedded in batches of 32 across the poll's items; the whole-item vector is the
     * normalised mean of its segments (one row when there is one segment, otherwise one per segment plus the whole).
     */
    private List<VectorRow> embed(List<MediaArrived> arrived, List<DecodedMedia> decoded) {
        List<ImageInput> images = new ArrayList<>();
        List<TextInput> texts = new ArrayList<>();
        List<List<int[]>> parts = new ArrayList<>(); // per item, per segment: {image index or -1, text index or -1}
        List<long[]> spans = new ArrayList<>();
        for (DecodedMedia media : decoded) {
            List<int[]> segments = new ArrayList<>();
            switch (media) {
                case DecodedMedia.DecodedImage i -> segments.add(new int[] {add(images, i.image()), -1});
                case DecodedMedia.DecodedVideo v -> v.frames().forEach(f -> segments.add(new int[] {add(images, f.image()),
                        f.hasText() ? add(texts, f.text()) : -1}));
                case DecodedMedia.DecodedDocument d -> d.pages().forEach(p -> segments.add(new int[] {add(images, p.image()),
                        p.hasText() ? add(texts, p.text()) : -1}));
                case DecodedMedia.DecodedText t -> t.chunks().forEach(c -> segments.add(new int[] {-1, add(texts, c)}));
            }
            parts.add(segments);
            spans.add(media instanceof DecodedMedia.DecodedVideo v ? new long[] {0, v.durationMs()} : null);
        }
        List<float[]> imageVectors = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i += BATCH) {
            runtime.embedImages(images.subList(i, Math.min(images.size(), i + BATCH))).forEach(e -> imageVectors.add(e.vector()));
        }
        List<float[]> textVectors = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i += BATCH) {
            runtime.embedTexts(texts.subList(i, Math.min(texts.size(), i + BATCH))).forEach(e -> textVectors.add(e.vector()));
        }
        List<VectorRow> rows = new ArrayList<>();
        for (int item = 0; item < arrived.size(); item++) {
            MediaArrived a = arrived.get(item);
            List<float[]> segmentVectors = new ArrayList<>();
            for (int[] s : parts.get(item)) {
                segmentVectors.add(mean(java.util.Arrays.asList(s[0] >= 0 ? imageVectors.get(s[0]) : null,
                        s[1] >= 0 ? textVectors.get(s[1]) : null)));
            }
            long[] span = spans.get(item);
            Map<String, String> attributes = a.getAttributes() == null ? Map.of() : a.getAttributes();
            rows.add(new VectorRow(a.getMediaId(), a.getTenant(), a.getModality().name(), VectorFields.WHOLE_ITEM,
                    span == null ? null : span[0], span == null ? null : span[1], mean(segmentVectors), attributes));
            if (segmentVectors.size() > 1) {
                for (int s = 0; s < segmentVectors.size(); s++) {
                    rows.add(new VectorRow(a.getMediaId(), a.getTenant(), a.getModality().name(), s, null, null,
                            segmentVectors.get(s), attributes));
                }
            }
        }
        return rows;
    }

    private static int add(List<ImageInput> images, RgbImage image) {
        images.add(ImageInput.ofRgb(image.rgb(), image.width(), image.height()));
        return images.size() - 1;
    }

    private int add(List<TextInput> texts, String text) {
        texts.add(new TextInput(text, textTask, null));
        return texts.size() - 1;
    }

    private int add(List<TextInput> texts, TextChunk chunk) {
        return add(texts, chunk.text());
    }

    /** The L2-normalised mean of the non-null vectors. */
    private static float[] mean(List<float[]> vectors) {
        float[] out = null;
        for (float[] v : vectors) {
            if (v == null) {
                continue;
            }
            if (out == null) {
                out = v.clone();
            } else {
                for (int i = 0; i < out.length; i++) {
                    out[i] += v[i];
                }
            }
        }
        double norm = 0;
        for (float x : out) {
            norm += x * x;
        }
        float scale = (float) (1 / Math.max(1e-12, Math.sqrt(norm)));
        for (int i = 0; i < out.length; i++) {
            out[i] *= scale;
        }
        return out;
    }

    String topic() {
        return topic;
    }

    String collection() {
        return collection;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
        avro.close();
    }
}
