package io.tessera.bench.index;

import io.tessera.bench.embed.EmbedBenchmark;
import io.tessera.bench.embed.PreprocessTiming;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.ImageInput;
import io.tessera.embedding.RuntimeConfig;
import io.tessera.embedding.TextInput;
import io.tessera.embedding.model.DefaultModels;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.model.LocalModelStore;
import io.tessera.events.IndexStatus;
import io.tessera.events.InlineBytes;
import io.tessera.events.InlineText;
import io.tessera.events.MediaArrived;
import io.tessera.events.MediaIndexed;
import io.tessera.events.Modality;
import io.tessera.events.Topics;
import io.tessera.indexer.IndexerSettings;
import io.tessera.indexer.ModelDecodeOptions;
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
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.avro.specific.SpecificRecord;
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
 * {@code ./tessera bench index}: per modality, one machine-readable line
 * <pre>index &lt;modality&gt; e2e=&lt;items/s&gt; plain=&lt;items/s&gt; raw=&lt;items/s&gt; e2e/plain=&lt;x&gt; e2e/raw=&lt;x&gt;
 *     p50_ms=&lt;ms&gt; p99_ms=&lt;ms&gt; threads=&lt;budget&gt; load=&lt;1-min load average before the run&gt; items=&lt;n&gt;
 *     model=&lt;name:version&gt; ep=&lt;provider&gt;</pre>
 * followed by a CPU table (indented lines): core-milliseconds per item for the plain and the e2e phase, per process of
 * the stack and per stage inside the indexing process. All three rates come from the same run, the same generated
 * items (the same bytes), the same model and the same thread budget:
 * <ul>
 *   <li><b>e2e</b>: the real services, started by {@code ./tessera bench index} in a namespace of their own (topic
 *       prefix, collection prefix, ports): items published to {@code <prefix>media.arrived} until their INDEXED event
 *       is read back from {@code <prefix>media.indexed} (media-catalog's validation, dedup and routing, the indexer's
 *       consumer, decode pool, shared batchers, batched Milvus writes and events), all items published at once.</li>
 *   <li><b>plain</b>: {@link PlainLoop}, the simplest correct single-threaded loop (poll 32 → Avro → decode → embed
 *       in batches of 32 → upsert → commit), in this process, on a topic of its own with the same partitions and the
 *       same items, from the first publish to the last commit.</li>
 *   <li><b>raw</b>: the embedding runtime alone on the same items already decoded, batches of 32 on one calling
 *       thread (preprocessing included).</li>
 *   <li><b>threads</b>: the budget: ONNX Runtime's intra-op threads here (raw, plain) and in the services, whose
 *       decode pool gets the same number (the CLI passes it).</li>
 *   <li><b>p50/p99</b>: publish-to-INDEXED latency through the services of fresh items published at half the
 *       measured e2e rate.</li>
 * </ul>
 * CPU: from {@code /proc}, between the start and the end of each measured phase: each process of the stack with its
 * descendants (pids from {@code --pids}), this process, and the rest of the machine; inside the indexer (e2e) and this
 * process (plain) per stage, by thread (the indexer's threads are named by role; ONNX Runtime's pool threads inherit
 * the name of the thread that created the session), the plain loop's own thread by its thread CPU time per step.
 * Two splits are measured apart on the same items: preprocessing (the model's resize, crop and normalisation, which
 * runs on the thread that calls inference) and Avro (which runs on the indexer's decode threads): marked {@code *}.
 *
 * <p>Then, once for the first modality, a {@code rollout} line ({@link RolloutCost}): embeddings per arrived item
 * before, during (backfill, drain) and after the promotion of a new version of the served model, from the indexer's
 * own counters, with items arriving at a quarter of the measured e2e rate; {@code --rollout false} skips it.
 *
 * <p>Options: {@code --items N} (measured items per modality; default 600 images, 60 videos, 120 documents, 800
 * texts), {@code --modalities image,...}, {@code --model NAME:VERSION}, {@code --threads N} (default the cores),
 * {@code --warmup F} (warm-up items as a fraction of N, default 1), {@code --latency-seconds S}; passed by the CLI:
 * {@code --topic-prefix P --collection-prefix C --pids name=pid,... --load L --kafka --registry --milvus
 * --metrics modality=url,... --drain-delay D} (the services' roll-out drain).
 */
public final class IndexBenchmark {

    /** Name of the thread that creates the ONNX Runtime session here: its pool threads inherit it. */
    private static final String ORT_THREAD = "ort-bench";

    private final Map<String, String> options;
    private final String kafka;
    private final String registry;
    private final String milvus;
    private final String topicPrefix;
    private final String collectionPrefix;
    private final Map<String, Long> pids;
    private final double load;
    private final int threads;
    private final double warmup;
    private final int latencySeconds;
    private final LocalModelStore models = DefaultModels.defaultStore();
    private final EmbeddingRuntime runtime;
    private final ModelDirectory served;
    /** Measured e2e items/s per modality (the roll-out phase publishes at a quarter of it). */
    private final Map<Modality, Double> e2eRates = new EnumMap<>(Modality.class);

    private IndexBenchmark(Map<String, String> options) throws InterruptedException {
        this.options = options;
        this.kafka = options.getOrDefault("kafka", "127.0.0.1:9092");
        this.registry = options.getOrDefault("registry", "http://127.0.0.1:8081/apis/ccompat/v7");
        this.milvus = options.getOrDefault("milvus", VectorStoreConfig.DEFAULT_URI);
        this.topicPrefix = options.get("topic-prefix");
        this.collectionPrefix = options.getOrDefault("collection-prefix",
                topicPrefix == null ? "bench_" : topicPrefix.replaceAll("[^A-Za-z0-9_]", "_"));
        this.pids = pairs(options.getOrDefault("pids", ""), Long::parseLong);
        this.load = Double.parseDouble(options.getOrDefault("load", Double.toString(ProcCpu.loadAverage())));
        this.threads = Integer.parseInt(options.getOrDefault("threads",
                Integer.toString(Runtime.getRuntime().availableProcessors())));
        this.warmup = Double.parseDouble(options.getOrDefault("warmup", "1"));
        this.latencySeconds = Integer.parseInt(options.getOrDefault("latency-seconds", "8"));
        // Created on a named thread, so that ONNX Runtime's intra-op pool threads carry its name in /proc.
        AtomicReference<Object> made = new AtomicReference<>();
        this.served = EmbedBenchmark.resolveModel(options.get("model"));
        Thread.ofPlatform().name(ORT_THREAD).start(() -> {
            try {
                made.set(EmbeddingRuntime.start(served, RuntimeConfig.defaults().withThreads(threads, 1)));
            } catch (RuntimeException | Error e) {
                made.set(e);
            }
        }).join();
        if (made.get() instanceof Throwable t) {
            throw new IllegalStateException("could not load the model: " + t.getMessage(), t);
        }
        this.runtime = (EmbeddingRuntime) made.get();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options;
        try {
            options = IndexBenchOptions.parse(Arrays.asList(args));
        } catch (IllegalArgumentException e) {
            System.err.println("bench index: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (!options.containsKey("topic-prefix")) {
            System.err.println("bench index: e2e needs the benchmark's own services (media-catalog and the indexers in a"
                    + " namespace of their own); run it as ./tessera bench index, which starts and stops them");
            System.exit(2);
        }
        List<String> modalities = Arrays.asList(options.getOrDefault("modalities", "image").split(","));
        IndexBenchmark bench = new IndexBenchmark(options);
        int rc = 0;
        try {
            for (String m : modalities) {
                for (String line : bench.run(Modality.valueOf(m.trim().toUpperCase(Locale.ROOT)))) {
                    System.out.println(line);
                }
                System.out.flush();
            }
            if (!"false".equals(options.get("rollout"))) {
                System.out.println(bench.rollout(Modality.valueOf(modalities.getFirst().trim().toUpperCase(Locale.ROOT))));
                System.out.flush();
            }
        } catch (Exception e) {
            e.printStackTrace();
            rc = 1;
        } finally {
            bench.runtime.close();
        }
        System.exit(rc);
    }

    /** {@code name=value,...} as a map, each value converted. */
    private static <T> Map<String, T> pairs(String spec, java.util.function.Function<String, T> value) {
        Map<String, T> out = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                out.put(part.substring(0, eq).trim(), value.apply(part.substring(eq + 1).trim()));
            }
        }
        return out;
    }

    private int count(Modality m) {
        if (options.containsKey("items")) {
            return Math.max(10, Integer.parseInt(options.get("items")));
        }
        int base = switch (m) {
            case IMAGE -> 600;
            case VIDEO -> 60;
            case DOCUMENT -> 120;
            case TEXT -> 800;
            default -> throw new IllegalArgumentException(m.name());
        };
        return Math.max(10, (int) (base * Double.parseDouble(options.getOrDefault("scale", "1"))));
    }

    // ------------------------------------------------------------------------------------------------ items

    private static MediaArrived item(Modality m, String id, long seed) throws Exception {
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

    private static List<MediaArrived> items(Modality m, String phase, int n, long seedBase) throws Exception {
        List<MediaArrived> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(item(m, phase + "-" + i, seedBase + i));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ one modality

    /** What one measured phase cost: wall time, CPU per process, per thread of the indexing process. */
    record Phase(double seconds, Map<String, Double> processSeconds, Map<String, Double> stageSeconds) {
    }

    private List<String> run(Modality modality) throws Exception {
        int n = count(modality);
        int warmN = Math.max(4, (int) (n * warmup / 2));
        List<MediaArrived> measured = items(modality, "tp", n, 1_000);
        List<List<MediaArrived>> warm = List.of(items(modality, "warm0", warmN, 100_000),
                items(modality, "warm1", warmN, 200_000));
        IndexerSettings settings = IndexerSettings.builder(modality).build();
        String name = modality.name().toLowerCase(Locale.ROOT);
        System.err.printf(Locale.ROOT, "# %s: %d items measured (%d warm-up twice), threads %d, model %s%n", name, n,
                warmN, threads, runtime.model());

        // raw: decode everything first (not timed), then embed it in batches of 32 on one thread (timed).
        Decoded decoded = decodeAll(modality, settings, measured);
        double raw = raw(decoded.images(), decoded.texts(), n);
        double preprocessMsPerItem = preprocessMs(decoded.images()) / n;
        decoded = null;
        System.err.printf(Locale.ROOT, "# %s raw: %.1f items/s%n", name, raw);

        // plain: a topic of its own with the partitions of the services' modality topic.
        String servicesTopic = Topics.withPrefix(topicPrefix, Topics.forModality(modality));
        String plainTopic = Topics.withPrefix(topicPrefix + "plain.", Topics.forModality(modality));
        int partitions;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
            partitions = admin.describeTopics(List.of(servicesTopic)).allTopicNames().get().get(servicesTopic)
                    .partitions().size();
            admin.createTopics(List.of(new NewTopic(plainTopic, partitions, (short) 1))).all().get();
        }
        Map<PlainLoop.Stage, Long> plainLoopCpu;
        Phase plainPhase;
        VectorStore plainStore = VectorStore.connect(VectorStoreConfig.defaults(milvus)
                .withNaming(new CollectionNaming(collectionPrefix + "plain_")));
        double plainAvroMsPerItem;
        try (KafkaProducer<String, MediaArrived> producer = producer();
             MediaDecoder decoder = new MediaDecoder(FetchConfig.defaults(), settings.decodeOptions());
             ModelDecodeOptions modelOptions = new ModelDecodeOptions(models, settings.decodeOptions())) {
            DecodeOptions options = modality == Modality.TEXT
                    ? modelOptions.forText(runtime, settings.textTask(), null) : modelOptions.forPixels(runtime);
            Map<String, Long> committedAt = new ConcurrentHashMap<>();
            PlainLoop loop = new PlainLoop(kafka, registry, plainTopic, plainTopic + "-plain", decoder, options, runtime,
                    plainStore, settings.textTask());
            AtomicReference<Throwable> loopFailure = new AtomicReference<>();
            var stop = new java.util.concurrent.atomic.AtomicBoolean();
            Thread loopThread = Thread.ofPlatform().name("plain-loop").start(() -> {
                try (loop) {
                    loop.run(stop::get, id -> committedAt.put(id, System.nanoTime()));
                } catch (RuntimeException | Error e) {
                    loopFailure.set(e);
                }
            });
            try {
                for (List<MediaArrived> w : warm) {
                    publishAll(producer, plainTopic, w, null);
                    awaitAll(w, committedAt, Duration.ofMinutes(5), loopFailure);
                }
                Map<PlainLoop.Stage, Long> before = loop.cpuNanos();
                Snapshot start = snapshot(null);
                long t0 = System.nanoTime();
                publishAll(producer, plainTopic, measured, null);
                awaitAll(measured, committedAt, Duration.ofMinutes(10), loopFailure);
                Snapshot end = snapshot(null);
                long t1 = measured.stream().mapToLong(i -> committedAt.get(i.getMediaId())).max().orElseThrow();
                Map<PlainLoop.Stage, Long> after = loop.cpuNanos();
                plainLoopCpu = new EnumMap<>(PlainLoop.Stage.class);
                after.forEach((k, v) -> plainLoopCpu.put(k, v - before.get(k)));
                plainPhase = phase((t1 - t0) / 1e9, start, end, ProcCpu.delta(start.benchThreads(), end.benchThreads()));
                plainAvroMsPerItem = plainLoopCpu.get(PlainLoop.Stage.AVRO) / 1e6 / n;
            } finally {
                stop.set(true);
                loopThread.join(30_000);
            }
        } finally {
            try {
                plainStore.listCollections(runtime.model().name()).forEach(c -> {
                    plainStore.dropAlias(c.alias());
                    plainStore.dropCollection(c.collection());
                });
            } catch (RuntimeException e) {
                System.err.println("# could not drop the plain loop's collection: " + e.getMessage());
            }
            plainStore.close();
        }
        double plain = n / plainPhase.seconds();
        System.err.printf(Locale.ROOT, "# %s plain: %.1f items/s%n", name, plain);

        // e2e: the services, from media.arrived to INDEXED.
        String arrivedTopic = Topics.withPrefix(topicPrefix, Topics.MEDIA_ARRIVED);
        String indexedTopic = Topics.withPrefix(topicPrefix, Topics.MEDIA_INDEXED);
        Map<String, Long> indexedAt = new ConcurrentHashMap<>();
        long indexerPid = pids.getOrDefault(name + "-indexer", -1L);
        Phase e2ePhase;
        double p50;
        double p99;
        try (Outcomes outcomes = new Outcomes(indexedTopic, indexedAt);
             KafkaProducer<String, MediaArrived> producer = producer()) {
            for (List<MediaArrived> w : warm) {
                publishAll(producer, arrivedTopic, w, null);
                awaitAll(w, indexedAt, Duration.ofMinutes(5), null);
            }
            Snapshot start = snapshot(indexerPid);
            long t0 = System.nanoTime();
            publishAll(producer, arrivedTopic, measured, null);
            awaitAll(measured, indexedAt, Duration.ofMinutes(10), null);
            Snapshot end = snapshot(indexerPid);
            long t1 = measured.stream().mapToLong(i -> indexedAt.get(i.getMediaId())).max().orElseThrow();
            e2ePhase = phase((t1 - t0) / 1e9, start, end, ProcCpu.delta(start.indexerThreads(), end.indexerThreads()));
            double e2e = n / e2ePhase.seconds();
            System.err.printf(Locale.ROOT, "# %s e2e: %.1f items/s%n", name, e2e);

            double rate = e2e / 2;
            int latencyCount = Math.max(20, (int) (rate * latencySeconds));
            List<MediaArrived> paced = items(modality, "lat", latencyCount, 500_000);
            Map<String, Long> pacedSent = new ConcurrentHashMap<>();
            long p0 = System.nanoTime();
            for (int i = 0; i < paced.size(); i++) {
                long due = p0 + (long) (i * 1e9 / rate);
                while (System.nanoTime() < due) {
                    LockSupport.parkNanos(Math.max(10_000, due - System.nanoTime()));
                }
                MediaArrived item = paced.get(i);
                pacedSent.put(item.getMediaId(), System.nanoTime());
                producer.send(new ProducerRecord<>(arrivedTopic, item.getMediaId(), item));
            }
            producer.flush();
            awaitAll(paced, indexedAt, Duration.ofMinutes(5), null);
            long[] latencies = paced.stream()
                    .mapToLong(i -> indexedAt.get(i.getMediaId()) - pacedSent.get(i.getMediaId())).sorted().toArray();
            p50 = latencies[(int) Math.floor(0.50 * (latencies.length - 1))] / 1e6;
            p99 = latencies[(int) Math.floor(0.99 * (latencies.length - 1))] / 1e6;
        }
        double e2e = n / e2ePhase.seconds();
        e2eRates.put(modality, e2e);
        System.err.println("# " + name + " plain, this process' threads (core-ms/item): "
                + CpuTable.byName(plainPhase.stageSeconds(), n));
        System.err.println("# " + name + " e2e, " + name + "-indexer's threads (core-ms/item): "
                + CpuTable.byName(e2ePhase.stageSeconds(), n));
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "index %s e2e=%.1f plain=%.1f raw=%.1f e2e/plain=%.2f e2e/raw=%.2f"
                        + " p50_ms=%.0f p99_ms=%.0f threads=%d load=%.2f items=%d model=%s ep=%s", name, e2e, plain, raw,
                e2e / plain, e2e / raw, p50, p99, threads, load, n, runtime.model(), runtime.executionProvider()));
        out.addAll(CpuTable.render(name, n, plainPhase, plainLoopCpu, e2ePhase, pids.keySet(),
                preprocessMsPerItem, plainAvroMsPerItem));
        return out;
    }

    // ------------------------------------------------------------------------------------------------ roll-out

    /**
     * The {@code rollout} line ({@link RolloutCost}): a new version promoted under a steady quarter of the measured
     * e2e rate, through this modality's indexer (its metrics URL comes from the CLI's {@code --metrics}).
     */
    private String rollout(Modality modality) throws Exception {
        String name = modality.name().toLowerCase(Locale.ROOT);
        URI metrics = pairs(options.getOrDefault("metrics", ""), URI::create).get(name);
        if (metrics == null) {
            throw new IllegalStateException("bench index: no --metrics URL for the " + name + " indexer");
        }
        double rate = Math.max(2, e2eRates.getOrDefault(modality, 8.0) / 4);
        Duration drain = Duration.parse("PT" + options.getOrDefault("drain-delay", "15s").toUpperCase(Locale.ROOT));
        SpecificAvroSerializer<SpecificRecord> values = new SpecificAvroSerializer<>();
        values.configure(Map.of(RegistryConfig.URL, registry, "auto.register.schemas", true), false);
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ProducerConfig.ACKS_CONFIG, "all",
                     ProducerConfig.LINGER_MS_CONFIG, 1, ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 << 20),
                     new StringSerializer(), values);
             VectorStore store = VectorStore.connect(VectorStoreConfig.defaults(milvus)
                     .withNaming(new CollectionNaming(collectionPrefix)))) {
            return new RolloutCost(metrics, producer, Topics.withPrefix(topicPrefix, Topics.MEDIA_ARRIVED),
                    Topics.withPrefix(topicPrefix, Topics.MODELS_PUBLISHED), store, drain)
                    .measure(name, served, rate, i -> {
                        try {
                            return item(modality, "ro-" + i, 900_000L + i);
                        } catch (Exception e) {
                            throw new IllegalStateException("could not make item " + i + ": " + e.getMessage(), e);
                        }
                    });
        }
    }

    // ------------------------------------------------------------------------------------------------ CPU

    /** CPU counters at one instant. */
    record Snapshot(double machine, Map<String, Double> processes, Map<String, Double> benchThreads,
                    Map<String, Double> indexerThreads) {
    }

    private Snapshot snapshot(Long indexerPid) {
        Map<String, Double> processes = new LinkedHashMap<>();
        pids.forEach((name, pid) -> processes.put(name, ProcCpu.processTreeSeconds(pid)));
        processes.put(CpuTable.BENCH, ProcCpu.processTreeSeconds(ProcessHandle.current().pid()));
        return new Snapshot(ProcCpu.machineSeconds(), processes, ProcCpu.threads(ProcessHandle.current().pid()),
                indexerPid == null || indexerPid < 0 ? Map.of() : ProcCpu.threads(indexerPid));
    }

    private static Phase phase(double seconds, Snapshot start, Snapshot end, Map<String, Double> threadSeconds) {
        Map<String, Double> processes = new LinkedHashMap<>();
        double listed = 0;
        for (var e : end.processes().entrySet()) {
            double d = e.getValue() - start.processes().getOrDefault(e.getKey(), 0.0);
            processes.put(e.getKey(), d);
            listed += d;
        }
        double machine = end.machine() - start.machine();
        processes.put(CpuTable.OTHER, Math.max(0, machine - listed));
        processes.put(CpuTable.MACHINE, machine);
        return new Phase(seconds, processes, threadSeconds);
    }

    // ------------------------------------------------------------------------------------------------ raw

    private record Decoded(List<ImageInput> images, List<TextInput> texts) {
    }

    private Decoded decodeAll(Modality modality, IndexerSettings settings, List<MediaArrived> items) throws Exception {
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
                    case DecodedMedia.DecodedVideo v -> v.frames().forEach(f -> {
                        images.add(input(f.image()));
                        if (f.hasText()) {
                            texts.add(new TextInput(f.text(), settings.textTask(), null));
                        }
                    });
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
        return new Decoded(images, texts);
    }

    /** Batches of 32 on one thread, ONNX Runtime with the budget's intra-op threads; one untimed batch first. */
    private double raw(List<ImageInput> images, List<TextInput> texts, int items) {
        int batch = PlainLoop.BATCH;
        embed(images.subList(0, Math.min(batch, images.size())), texts.subList(0, Math.min(batch, texts.size())));
        long start = System.nanoTime();
        embed(images, texts);
        return items / ((System.nanoTime() - start) / 1e9);
    }

    private void embed(List<ImageInput> images, List<TextInput> texts) {
        int batch = PlainLoop.BATCH;
        for (int i = 0; i < images.size(); i += batch) {
            runtime.embedImages(images.subList(i, Math.min(images.size(), i + batch)));
        }
        for (int i = 0; i < texts.size(); i += batch) {
            runtime.embedTexts(texts.subList(i, Math.min(texts.size(), i + batch)));
        }
    }

    /**
     * CPU milliseconds of the model's image preprocessing (resize, crop, normalise into the input tensor) over all
     * images, on this thread: the same code the runtime runs before each inference, measured apart (second pass).
     */
    private double preprocessMs(List<ImageInput> images) {
        return PreprocessTiming.imageCpuMillis(runtime.manifest(), images);
    }

    private static ImageInput input(RgbImage image) {
        return ImageInput.ofRgb(image.rgb(), image.width(), image.height());
    }

    // ------------------------------------------------------------------------------------------------ Kafka

    private KafkaProducer<String, MediaArrived> producer() {
        SpecificAvroSerializer<MediaArrived> values = new SpecificAvroSerializer<>();
        values.configure(Map.of(RegistryConfig.URL, registry, "auto.register.schemas", true), false);
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

    private static void awaitAll(List<MediaArrived> items, Map<String, Long> doneAt, Duration timeout,
                                 AtomicReference<Throwable> failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!items.stream().allMatch(i -> doneAt.containsKey(i.getMediaId()))) {
            if (failure != null && failure.get() != null) {
                throw new IllegalStateException("the plain loop failed: " + failure.get(), failure.get());
            }
            if (System.nanoTime() > deadline) {
                long done = items.stream().filter(i -> doneAt.containsKey(i.getMediaId())).count();
                throw new IllegalStateException("only " + done + " of " + items.size() + " items done in " + timeout);
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
                            if (r.value() != null && r.value().getStatus() == IndexStatus.INDEXED) {
                                indexedAt.putIfAbsent(r.value().getMediaId(), System.nanoTime());
                            } else {
                                System.err.println("# unexpected outcome " + r.value());
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
}
