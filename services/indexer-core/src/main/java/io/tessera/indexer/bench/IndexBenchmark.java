package io.tessera.indexer.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.ImageInput;
import io.tessera.embedding.RuntimeConfig;
import io.tessera.embedding.TextInput;
import io.tessera.embedding.bench.EmbedBenchmark;
import io.tessera.embedding.model.DefaultModels;
import io.tessera.embedding.model.LocalModelStore;
import io.tessera.events.IndexStatus;
import io.tessera.events.InlineBytes;
import io.tessera.events.InlineText;
import io.tessera.events.MediaArrived;
import io.tessera.events.MediaIndexed;
import io.tessera.events.Modality;
import io.tessera.events.Topics;
import io.tessera.indexer.Indexer;
import io.tessera.indexer.IndexerSettings;
import io.tessera.indexer.TargetCollections;
import io.tessera.indexer.internal.ModelDecodeOptions;
import io.tessera.media.DecodeOptions;
import io.tessera.media.DecodedMedia;
import io.tessera.media.FetchConfig;
import io.tessera.media.MediaDecoder;
import io.tessera.media.MediaSource;
import io.tessera.media.RgbImage;
import io.tessera.media.TextChunk;
import io.tessera.registry.RegistryConfig;
import io.tessera.serde.SerdeConfig;
import io.tessera.serde.SpecificAvroDeserializer;
import io.tessera.serde.SpecificAvroSerializer;
import io.tessera.vectorstore.CollectionNaming;
import io.tessera.vectorstore.VectorStore;
import io.tessera.vectorstore.VectorStoreConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code ./tessera bench index}: per modality, one line
 * {@code index <modality> e2e=<items/s> raw=<items/s> ratio=<e2e/raw> p50_ms=<ms> p99_ms=<ms> model=<ref> ep=<provider>
 * threads=<inferences in flight>x<intra-op threads>}.
 * <ul>
 *   <li><b>e2e</b>: items published to the modality topic ({@code media.<modality>}, i.e. after media-catalog's
 *       routing, which is measured by its own benchmark) until their INDEXED event is read back from
 *       {@code media.indexed}, through the real stack (Kafka, schema registry, Milvus) and the real indexer (the
 *       consumer loop, decoding, the shared batchers, batched Milvus writes), all items published at once.</li>
 *   <li><b>raw</b>: the embedding runtime alone on the same items already decoded, in batches of the runtime's
 *       batch size, at the same thread budget as the pipeline: as many threads calling full batches as the pipeline's
 *       runtime has batch workers, each inference with the same intra-op threads; measured in the same run.</li>
 *   <li><b>p50/p99</b>: publish-to-INDEXED latency of fresh items published at half the measured e2e rate.</li>
 * </ul>
 * Options: {@code --kafka HOST:PORT --registry URL --milvus URI --modalities image,video,document,text
 * --model NAME[:VERSION]} (default: the live model, see {@code EmbedBenchmark.resolveModel}) {@code --threads BUDGET}
 * (ONNX Runtime threads in all; default the cores) {@code --scale F} (item counts multiplied by F) {@code --latency-seconds S} {@code --warmup F} (items published and indexed
 * before the measurement, as a fraction of the measured count; default 1).
 */
public final class IndexBenchmark {

    private final String kafka;
    private final String registry;
    private final String milvus;
    private final double scale;
    private final int latencySeconds;
    private final double warmup;
    private final String run = "bench" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private final EmbeddingRuntime runtime;
    /** The thread budget, split as the services split it: batch workers x intra-op threads per inference. */
    private final int workers;
    private final int intraOpThreads;
    private static final java.util.Set<String> OPTIONS = java.util.Set.of("kafka", "registry", "milvus", "modalities",
            "model", "threads", "scale", "latency-seconds", "warmup");
    private final LocalModelStore models = DefaultModels.defaultStore();
    private final VectorStore store;

    private IndexBenchmark(Map<String, String> options) {
        this.kafka = options.getOrDefault("kafka", "127.0.0.1:9092");
        this.registry = options.getOrDefault("registry", "http://127.0.0.1:8081/apis/ccompat/v7");
        this.milvus = options.getOrDefault("milvus", VectorStoreConfig.DEFAULT_URI);
        this.scale = Double.parseDouble(options.getOrDefault("scale", "1"));
        this.latencySeconds = Integer.parseInt(options.getOrDefault("latency-seconds", "8"));
        this.warmup = Double.parseDouble(options.getOrDefault("warmup", "1"));
        int budget = Integer.parseInt(options.getOrDefault("threads",
                Integer.toString(Runtime.getRuntime().availableProcessors())));
        this.workers = RuntimeConfig.DEFAULT_BATCH_WORKERS;
        this.intraOpThreads = Math.max(1, budget / workers);
        this.runtime = EmbeddingRuntime.start(EmbedBenchmark.resolveModel(options.get("model")),
                RuntimeConfig.defaults().withThreads(intraOpThreads, 1));
        this.store = VectorStore.connect(VectorStoreConfig.defaults(milvus).withNaming(new CollectionNaming(run + "_")));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String key = args[i].replaceFirst("^--", "");
            if (!args[i].startsWith("--") || !OPTIONS.contains(key) || i + 1 >= args.length) {
                System.err.println("bench index: unknown option or missing value: " + args[i] + " (options: --"
                        + String.join(", --", new java.util.TreeSet<>(OPTIONS)) + ")");
                System.exit(2);
            }
            options.put(key, args[i + 1]);
        }
        List<String> modalities = Arrays.asList(options.getOrDefault("modalities", "image,video,document,text")
                .split(","));
        IndexBenchmark bench = new IndexBenchmark(options);
        try {
            for (String m : modalities) {
                System.out.println(bench.run(Modality.valueOf(m.trim().toUpperCase(Locale.ROOT))));
                System.out.flush();
            }
        } finally {
            bench.close();
        }
        System.exit(0);
    }

    private int count(Modality m) {
        int base = switch (m) {
            case IMAGE -> 600;
            case VIDEO -> 60;
            case DOCUMENT -> 120;
            case TEXT -> 800;
            default -> throw new IllegalArgumentException(m.name());
        };
        return Math.max(10, (int) (base * scale));
    }

    private MediaArrived item(Modality m, String id, long seed) throws Exception {
        Object content;
        String type;
        switch (m) {
            case IMAGE -> {
                content = new InlineBytes(ByteBuffer.wrap(BenchMedia.image(seed)));
                type = "image/jpeg";
            }
            case VIDEO -> {
                content = new InlineBytes(ByteBuffer.wrap(BenchMedia.video(seed)));
                type = "video/mp4";
            }
            case DOCUMENT -> {
                content = new InlineBytes(ByteBuffer.wrap(BenchMedia.document(seed)));
                type = "application/pdf";
            }
            case TEXT -> {
                content = new InlineText(BenchMedia.words(seed, 60));
                type = "text/plain";
            }
            default -> throw new IllegalArgumentException(m.name());
        }
        return MediaArrived.newBuilder().setMediaId(id).setTenant("bench").setModality(m).setContentType(type)
                .setContent(content).setInstruction(null).setAttributes(Map.of()).setOccurredAt(Instant.now()).build();
    }

    private List<MediaArrived> items(Modality m, String phase, int n, long seedBase) throws Exception {
        List<MediaArrived> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(item(m, phase + "-" + i, seedBase + i));
        }
        return out;
    }

    private String run(Modality modality) throws Exception {
        int n = count(modality);
        List<MediaArrived> throughputItems = items(modality, "tp", n, 1_000);
        double raw = raw(modality, throughputItems);

        String prefix = run + "-" + modality.name().toLowerCase(Locale.ROOT) + "-";
        String topic = Topics.withPrefix(prefix, Topics.forModality(modality));
        String indexedTopic = Topics.withPrefix(prefix, Topics.MEDIA_INDEXED);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
            admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1), new NewTopic(indexedTopic, 1, (short) 1),
                    new NewTopic(Topics.withPrefix(prefix, Topics.MEDIA_DLQ), 1, (short) 1))).all().get();
        }
        IndexerSettings settings = IndexerSettings.builder(modality).topicPrefix(prefix).groupId(prefix + "indexer")
                .build();
        Map<String, Long> indexedAt = new ConcurrentHashMap<>();
        Outcomes outcomes = new Outcomes(indexedTopic, indexedAt);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Indexer indexer = Indexer.builder(settings).kafka(kafka).registry(registry).vectorStore(store)
                .targets(TargetCollections.single(runtime)).modelStore(models).fetch(FetchConfig.defaults())
                .meters(meters).start();
             KafkaProducer<String, MediaArrived> producer = producer()) {
            // Warm-up: the consumer's assignment, the collection and the JIT. The same run at full speed, in two
            // rounds, so that the measured one finds the pipeline compiled (with 1/20 of the items the compiler
            // threads still took about a fifth of the CPU during the measurement).
            for (int round = 0; round < 2; round++) {
                List<MediaArrived> warm = items(modality, "warm" + round, Math.max(4, (int) (n * warmup / 2)),
                        round * 100_000L);
                publishAll(producer, topic, warm, null);
                awaitAll(warm, indexedAt, Duration.ofMinutes(5));
            }

            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            long start = System.nanoTime();
            publishAll(producer, topic, throughputItems, sentAt);
            awaitAll(throughputItems, indexedAt, Duration.ofMinutes(10));
            long end = throughputItems.stream().mapToLong(i -> indexedAt.get(i.getMediaId())).max().orElseThrow();
            double e2e = n / ((end - start) / 1e9);

            double rate = e2e / 2;
            int latencyCount = Math.max(20, (int) (rate * latencySeconds));
            List<MediaArrived> paced = items(modality, "lat", latencyCount, 500_000);
            Map<String, Long> pacedSent = new ConcurrentHashMap<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < paced.size(); i++) {
                long due = t0 + (long) (i * 1e9 / rate);
                while (System.nanoTime() < due) {
                    LockSupport.parkNanos(Math.max(10_000, due - System.nanoTime()));
                }
                MediaArrived item = paced.get(i);
                pacedSent.put(item.getMediaId(), System.nanoTime());
                producer.send(new ProducerRecord<>(topic, item.getMediaId(), item));
            }
            producer.flush();
            awaitAll(paced, indexedAt, Duration.ofMinutes(5));
            long[] latencies = paced.stream()
                    .mapToLong(i -> indexedAt.get(i.getMediaId()) - pacedSent.get(i.getMediaId())).sorted().toArray();
            double p50 = latencies[(int) Math.floor(0.50 * (latencies.length - 1))] / 1e6;
            double p99 = latencies[(int) Math.floor(0.99 * (latencies.length - 1))] / 1e6;
            System.err.println("# " + modality + " stages (mean ms): " + stages(meters));
            return String.format(Locale.ROOT, "index %s e2e=%.1f raw=%.1f ratio=%.2f p50_ms=%.0f p99_ms=%.0f"
                            + " model=%s ep=%s threads=%dx%d", modality.name().toLowerCase(Locale.ROOT), e2e, raw,
                    e2e / raw, p50, p99, runtime.model(), runtime.executionProvider(), workers, intraOpThreads);
        } finally {
            outcomes.close();
        }
    }

    /** The embedding runtime alone: decode everything first (not timed), then embed it in batches (timed). */
    private double raw(Modality modality, List<MediaArrived> items) throws Exception {
        IndexerSettings settings = IndexerSettings.builder(modality).build();
        List<ImageInput> images = new ArrayList<>();
        List<TextInput> texts = new ArrayList<>();
        try (MediaDecoder decoder = new MediaDecoder(FetchConfig.defaults(), settings.decodeOptions());
             ModelDecodeOptions chunking = new ModelDecodeOptions(models, settings.decodeOptions())) {
            for (MediaArrived item : items) {
                DecodeOptions options = modality == Modality.TEXT
                        ? chunking.forText(runtime, settings.textTask(), null) : chunking.forPixels(runtime);
                MediaSource source = item.getContent() instanceof InlineText t ? MediaSource.text(t.getText())
                        : MediaSource.bytes(((InlineBytes) item.getContent()).getData().array(), item.getContentType());
                DecodedMedia media = decoder.decode(source, io.tessera.media.Modality.valueOf(modality.name()), options);
                switch (media) {
                    case DecodedMedia.DecodedImage i -> images.add(input(i.image()));
                    case DecodedMedia.DecodedVideo v -> v.frames().forEach(f -> images.add(input(f.image())));
                    case DecodedMedia.DecodedDocument d -> d.pages().forEach(p -> {
                        images.add(input(p.image()));
                        if (p.hasText()) {
                            texts.add(new TextInput(p.text(), settings.documentTextTask(), null));
                        }
                    });
                    case DecodedMedia.DecodedText t -> {
                        for (TextChunk c : t.chunks()) {
                            texts.add(new TextInput(c.text(), settings.textTask(), null));
                        }
                    }
                }
            }
        }
        int batch = runtime.config().imageBatching().maxBatchSize();
        embed(images.subList(0, Math.min(batch, images.size())), texts.subList(0, Math.min(batch, texts.size())), batch);
        long start = System.nanoTime();
        embed(images, texts, batch);
        return items.size() / ((System.nanoTime() - start) / 1e9);
    }

    /** Full batches from {@code workers} threads at once: the pipeline's parallelism, without the pipeline. */
    private void embed(List<ImageInput> images, List<TextInput> texts, int batch) {
        java.util.concurrent.atomic.AtomicInteger nextImage = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger nextText = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i; (i = nextImage.getAndAdd(batch)) < images.size(); ) {
                    runtime.embedImages(images.subList(i, Math.min(images.size(), i + batch)));
                }
                for (int i; (i = nextText.getAndAdd(batch)) < texts.size(); ) {
                    runtime.embedTexts(texts.subList(i, Math.min(texts.size(), i + batch)));
                }
            }));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** Where the time went, for the curious (stderr, not part of the result line). */
    private static String stages(SimpleMeterRegistry meters) {
        StringBuilder out = new StringBuilder();
        for (String timer : List.of("tessera.indexer.decode", "tessera.indexer.embed", "tessera.indexer.write",
                "tessera.embedding.inference", "tessera.embedding.queue.wait")) {
            for (var t : meters.find(timer).timers()) {
                out.append(String.format(Locale.ROOT, "%s%s=%.1f(n=%d) ", timer.replace("tessera.", ""),
                        t.getId().getTag("batcher") == null ? "" : "[" + t.getId().getTag("batcher") + "]",
                        t.mean(java.util.concurrent.TimeUnit.MILLISECONDS), t.count()));
            }
        }
        for (String summary : List.of("tessera.indexer.write.items", "tessera.indexer.poll.records",
                "tessera.embedding.batch.size")) {
            for (var d : meters.find(summary).summaries()) {
                out.append(String.format(Locale.ROOT, "%s%s=%.1f ", summary.replace("tessera.", ""),
                        d.getId().getTag("batcher") == null ? "" : "[" + d.getId().getTag("batcher") + "]", d.mean()));
            }
        }
        return out.toString();
    }

    private static ImageInput input(RgbImage image) {
        return ImageInput.ofRgb(image.rgb(), image.width(), image.height());
    }

    private KafkaProducer<String, MediaArrived> producer() {
        SpecificAvroSerializer<MediaArrived> values = new SpecificAvroSerializer<>();
        values.configure(Map.of(RegistryConfig.URL, registry), false);
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ProducerConfig.ACKS_CONFIG,
                "all", ProducerConfig.LINGER_MS_CONFIG, 1, ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 << 20),
                new StringSerializer(), values);
    }

    private static void publishAll(KafkaProducer<String, MediaArrived> producer, String topic, List<MediaArrived> items,
                                   Map<String, Long> sentAt) {
        for (MediaArrived item : items) {
            if (sentAt != null) {
                sentAt.put(item.getMediaId(), System.nanoTime());
            }
            producer.send(new ProducerRecord<>(topic, item.getMediaId(), item));
        }
        producer.flush();
    }

    private static void awaitAll(List<MediaArrived> items, Map<String, Long> indexedAt, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!items.stream().allMatch(i -> indexedAt.containsKey(i.getMediaId()))) {
            if (System.nanoTime() > deadline) {
                long done = items.stream().filter(i -> indexedAt.containsKey(i.getMediaId())).count();
                throw new IllegalStateException("only " + done + " of " + items.size() + " items indexed in " + timeout);
            }
            LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
        }
    }

    /** Reads media.indexed and notes when each item's INDEXED event arrived. */
    private final class Outcomes implements AutoCloseable {
        private volatile boolean running = true;
        private final Thread thread;

        Outcomes(String topic, Map<String, Long> indexedAt) {
            SpecificAvroDeserializer<MediaIndexed> values = new SpecificAvroDeserializer<>();
            values.configure(Map.of(RegistryConfig.URL, registry, SerdeConfig.SPECIFIC_AVRO_VALUE_TYPE,
                    MediaIndexed.class), false);
            KafkaConsumer<String, MediaIndexed> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ConsumerConfig.GROUP_ID_CONFIG, topic + "-bench",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5),
                    new StringDeserializer(), values);
            consumer.subscribe(List.of(topic));
            thread = Thread.ofPlatform().daemon().name("bench-outcomes").start(() -> {
                try (consumer) {
                    while (running) {
                        for (var r : consumer.poll(Duration.ofMillis(20))) {
                            if (r.value().getStatus() == IndexStatus.INDEXED) {
                                indexedAt.putIfAbsent(r.value().getMediaId(), System.nanoTime());
                            } else {
                                System.err.println("unexpected outcome " + r.value());
                            }
                        }
                    }
                }
            });
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }
    }

    private void close() {
        for (var c : store.listCollections("tessera-tiny")) {
            store.dropAlias(c.alias());
            store.dropCollection(c.collection());
        }
        store.close();
        runtime.close();
    }
}
