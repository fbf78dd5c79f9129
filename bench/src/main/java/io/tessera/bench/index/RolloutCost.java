package io.tessera.bench.index;

import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.model.ModelManifest;
import io.tessera.embedding.model.ModelRef;
import io.tessera.embedding.model.ModelVersions;
import io.tessera.events.MediaArrived;
import io.tessera.events.ModelStatus;
import io.tessera.events.ModelVersion;
import io.tessera.vectorstore.VectorStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What a roll-out costs the running services, measured where an operator would (docs/operations.md, "Roll-out"):
 * items arrive at a steady pace while a new version of the served model is promoted; the indexer's own counters
 * ({@code tessera.indexer.version.items} by {@code source}, {@code tessera.indexer.records.out{status=INDEXED}}, read
 * from its Prometheus endpoint) give, per window, the embeddings made per arrived item for arrivals and the items
 * re-embedded by the backfill. Windows: {@code before} the promotion, {@code backfill} (promotion to the alias flip),
 * {@code drain} (the flip to the end of the drain delay, when arrivals are still written for the old version too)
 * and {@code after} (steady state on the new version, which should cost one embedding per item).
 *
 * <p>The new version is the served one copied as version + 1 (same weights: the cost is what is measured), offered to
 * the indexer as a {@code file:} artifact in a temporary directory, so the user's model store is not touched.
 */
final class RolloutCost {

    private static final Duration WINDOW = Duration.ofSeconds(15);
    private static final Duration FLIP_TIMEOUT = Duration.ofMinutes(10);

    /** Counter values read at one instant. */
    record Counters(double indexed, double arrivalEmbeddings, double backfillEmbeddings) {
        Counters minus(Counters o) {
            return new Counters(indexed - o.indexed, arrivalEmbeddings - o.arrivalEmbeddings,
                    backfillEmbeddings - o.backfillEmbeddings);
        }
    }

    private final URI metrics;
    private final KafkaProducer<String, SpecificRecord> producer;
    private final String arrivedTopic;
    private final String publishedTopic;
    private final VectorStore store;
    private final Duration drainDelay;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param producer an Avro producer for any Tessera event (arrivals and the promotion); closed by the caller */
    RolloutCost(URI metrics, KafkaProducer<String, SpecificRecord> producer, String arrivedTopic,
                String publishedTopic, VectorStore store, Duration drainDelay) {
        this.metrics = metrics;
        this.producer = producer;
        this.arrivedTopic = arrivedTopic;
        this.publishedTopic = publishedTopic;
        this.store = store;
        this.drainDelay = drainDelay;
    }

    /**
     * Publishes {@code item(i)} at {@code rate} per second through all four windows, promotes version + 1 of
     * {@code served} after the first, and returns the benchmark's {@code rollout} line.
     */
    String measure(String modality, ModelDirectory served, double rate, IntFunction<MediaArrived> item)
            throws Exception {
        ModelRef v1 = served.ref();
        ModelRef v2 = new ModelRef(v1.name(), v1.version() + 1);
        String alias = store.naming().alias(v1.name());
        String newCollection = store.naming().collection(v2.name(), v2.version());
        Path work = Files.createTempDirectory("tessera-bench-rollout-");
        AtomicBoolean publishing = new AtomicBoolean(true);
        AtomicInteger published = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Thread pacer = Thread.ofPlatform().name("bench-rollout-pacer").start(() -> {
            long start = System.nanoTime();
            for (int i = 0; publishing.get(); i++) {
                long due = start + (long) (i * 1e9 / rate);
                while (System.nanoTime() < due && publishing.get()) {
                    LockSupport.parkNanos(Math.max(10_000, due - System.nanoTime()));
                }
                MediaArrived m = item.apply(i);
                producer.send(new ProducerRecord<>(arrivedTopic, m.getMediaId(), m), (md, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                    }
                });
                published.incrementAndGet();
            }
        });
        try {
            sleep(Duration.ofSeconds(3));
            Counters c0 = read();
            sleep(WINDOW);
            Counters c1 = read();

            ModelDirectory next = ModelVersions.derive(served, v2.version(), Map.of(), work.resolve("m"));
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(next.root().resolve(ModelManifest.FILE_NAME))));
            producer.send(new ProducerRecord<>(publishedTopic, v2.name(), ModelVersion.newBuilder()
                    .setModelName(v2.name()).setVersion(v2.version()).setParentVersion(v1.version())
                    .setArtifactUri(next.root().toUri().toString()).setSha256(sha)
                    .setDimension(next.manifest().dimension()).setStatus(ModelStatus.PROMOTED).setMetrics(Map.of())
                    .setSoupIngredients(List.of()).setPairsTrained(0).setCreatedAt(Instant.now()).build())).get();
            long promoted = System.nanoTime();
            System.err.printf(Locale.ROOT, "# %s rollout: %s promoted, waiting for the alias to flip%n", modality, v2);
            long deadline = promoted + FLIP_TIMEOUT.toNanos();
            while (!store.resolveAlias(alias).filter(newCollection::equals).isPresent()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the alias " + alias + " did not flip to " + newCollection
                            + " within " + FLIP_TIMEOUT + " of the promotion");
                }
                sleep(Duration.ofMillis(200));
            }
            long flipped = System.nanoTime();
            Counters c2 = read();
            // A little past the drain: the roll-out ends it on its next tick.
            sleep(drainDelay.plusSeconds(3));
            Counters c3 = read();
            sleep(WINDOW);
            Counters c4 = read();
            publishing.set(false);
            pacer.join(10_000);
            producer.flush();
            if (failed.get() > 0) {
                throw new IllegalStateException(failed.get() + " of " + published.get() + " arrivals could not be published");
            }
            return String.format(Locale.ROOT, "rollout %s embeddings/arrival before=%s backfill=%s drain=%s after=%s"
                            + " backfilled=%.0f flip_s=%.1f drain_s=%d rate=%.1f/s arrivals=%d model=%s->%s",
                    modality, perArrival(c1.minus(c0)), perArrival(c2.minus(c1)), perArrival(c3.minus(c2)),
                    perArrival(c4.minus(c3)), c4.minus(c0).backfillEmbeddings(), (flipped - promoted) / 1e9,
                    drainDelay.toSeconds(), rate, published.get(), v1, v2);
        } finally {
            publishing.set(false);
            pacer.join(10_000);
            try (Stream<Path> files = Files.walk(work)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Embeddings made for arrivals per arrival indexed in a window, with the arrivals counted. */
    private static String perArrival(Counters d) {
        return d.indexed() < 1 ? "n/a" : String.format(Locale.ROOT, "%.2f(%.0f)", d.arrivalEmbeddings() / d.indexed(),
                d.indexed());
    }

    private Counters read() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(metrics + " answered " + r.statusCode());
        }
        double indexed = 0;
        double arrival = 0;
        double backfill = 0;
        for (PrometheusSample s : PrometheusSample.parse(r.body())) {
            if (s.name().equals("tessera_indexer_records_out_total") && "INDEXED".equals(s.labels().get("status"))) {
                indexed += s.value();
            } else if (s.name().equals("tessera_indexer_version_items_total")) {
                if ("backfill".equals(s.labels().get("source"))) {
                    backfill += s.value();
                } else {
                    arrival += s.value();
                }
            }
        }
        return new Counters(indexed, arrival, backfill);
    }

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    /**
     * One sample of the Prometheus text format ({@code name{label="value",...} number}). Hand-written: the benchmark
     * reads two counters, and no reachable library parses the format without pulling in a client or a server.
     */
    record PrometheusSample(String name, Map<String, String> labels, double value) {

        private static final java.util.regex.Pattern LABEL =
                java.util.regex.Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

        static List<PrometheusSample> parse(String text) {
            List<PrometheusSample> out = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int brace = line.indexOf('{');
                int space = line.lastIndexOf(' ');
                if (space < 0) {
                    continue;
                }
                String name;
                Map<String, String> labels = new java.util.LinkedHashMap<>();
                if (brace >= 0 && brace < space) {
                    name = line.substring(0, brace);
                    int close = line.lastIndexOf('}');
                    var m = LABEL.matcher(line.substring(brace + 1, close));
                    while (m.find()) {
                        labels.put(m.group(1), m.group(2));
                    }
                } else {
                    name = line.substring(0, space);
                }
                try {
                    out.add(new PrometheusSample(name.trim(), labels, Double.parseDouble(line.substring(space + 1).trim())));
                } catch (NumberFormatException e) {
                    // a timestamped or malformed sample: not one the benchmark reads
                }
            }
            return out;
        }
    }
}
