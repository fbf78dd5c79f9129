package io.tessera.indexer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.function.Supplier;

/**
 * The indexer's meters, all tagged with {@code service} and {@code modality}:
 * <ul>
 *   <li>{@code tessera.indexer.records.in} records read; {@code tessera.indexer.records.out} by {@code status}
 *       (INDEXED, DEAD_LETTERED, DELETED)</li>
 *   <li>{@code tessera.indexer.dlq} dead letters by {@code reason}</li>
 *   <li>{@code tessera.indexer.retries} transient failures retried, by {@code dependency}</li>
 *   <li>timers {@code tessera.indexer.decode}, {@code .embed} (per item), {@code .write} (per Milvus write),
 *       {@code .latency} (record timestamp to outcome)</li>
 *   <li>summaries {@code tessera.indexer.poll.records}, {@code .write.items}, {@code .segments}</li>
 *   <li>counters {@code tessera.indexer.version.items} (items embedded and written) and
 *       {@code tessera.indexer.version.rows} (vectors written) per model version: tags {@code model}, {@code version}
 *       and {@code source} ({@code arrival}, or {@code backfill} for a roll-out's re-index). Arrival items summed over
 *       versions, divided by {@code records.out{status=INDEXED}}, is the embeddings an item costs: 2 while a roll-out
 *       dual-writes, 1 otherwise</li>
 *   <li>gauges {@code tessera.indexer.in.flight}, {@code tessera.indexer.consumer.lag} (registered by their owners)</li>
 * </ul>
 * The embedding runtime adds its batchers' meters ({@code tessera.embedding.*}) to the same registry, and the
 * consumer binds the Kafka client's own metrics.
 */
public final class IndexerMetrics {

    private final MeterRegistry registry;
    private final Tags tags;
    private final Counter recordsIn;
    private final Timer decode;
    private final Timer embed;
    private final Timer write;
    private final Timer latency;
    private final DistributionSummary pollRecords;
    private final DistributionSummary writeItems;
    private final DistributionSummary segments;

    public IndexerMetrics(MeterRegistry registry, IndexerSettings settings) {
        this.registry = registry;
        this.tags = Tags.of("service", settings.service(), "modality", settings.modality().name());
        this.recordsIn = Counter.builder("tessera.indexer.records.in").tags(tags)
                .description("records read from the source topic").register(registry);
        this.decode = Timer.builder("tessera.indexer.decode").tags(tags)
                .description("fetching and decoding one item").register(registry);
        this.embed = Timer.builder("tessera.indexer.embed").tags(tags)
                .description("embedding all segments of one item (queueing in the batchers included)").register(registry);
        this.write = Timer.builder("tessera.indexer.write").tags(tags)
                .description("one batched Milvus write").register(registry);
        this.latency = Timer.builder("tessera.indexer.latency").tags(tags)
                .description("from the record's timestamp to its outcome").register(registry);
        this.pollRecords = DistributionSummary.builder("tessera.indexer.poll.records").tags(tags)
                .description("records per poll").register(registry);
        this.writeItems = DistributionSummary.builder("tessera.indexer.write.items").tags(tags)
                .description("items per Milvus write").register(registry);
        this.segments = DistributionSummary.builder("tessera.indexer.segments").tags(tags)
                .description("rows written per item").register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public Tags tags() {
        return tags;
    }

    public void recordIn() {
        recordsIn.increment();
    }

    public void outcome(Outcome outcome, long recordTimestamp) {
        registry.counter("tessera.indexer.records.out", tags.and("status", outcome.status().name())).increment();
        if (outcome.status() == Outcome.Status.DEAD_LETTERED) {
            registry.counter("tessera.indexer.dlq", tags.and("reason", outcome.reasonCode())).increment();
        }
        if (outcome.status() == Outcome.Status.INDEXED) {
            segments.record(outcome.segments());
        }
        if (recordTimestamp > 0) {
            long ms = System.currentTimeMillis() - recordTimestamp;
            if (ms >= 0) {
                latency.record(java.time.Duration.ofMillis(ms));
            }
        }
    }

    public void retry(DependencyHealth.Dependency dependency) {
        registry.counter("tessera.indexer.retries", tags.and("dependency", dependency.name())).increment();
    }

    public Timer decode() {
        return decode;
    }

    public Timer embed() {
        return embed;
    }

    public Timer write() {
        return write;
    }

    public void polled(int records) {
        pollRecords.record(records);
    }

    public void written(int items) {
        writeItems.record(items);
    }

    /** One item embedded and written for one model version ({@code backfill}: by a roll-out's re-index). */
    public void writtenFor(io.tessera.embedding.model.ModelRef model, int rows, boolean backfill) {
        Tags t = tags.and("model", model.name(), "version", Integer.toString(model.version()),
                "source", backfill ? "backfill" : "arrival");
        registry.counter("tessera.indexer.version.items", t).increment();
        registry.counter("tessera.indexer.version.rows", t).increment(rows);
    }

    public void gauge(String name, String description, Supplier<Number> value) {
        io.micrometer.core.instrument.Gauge.builder(name, value).tags(tags).description(description).register(registry);
    }
}
