package io.tessera.indexer;

import io.tessera.events.Modality;
import io.tessera.events.Topics;
import io.tessera.media.DecodeOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the pipeline and its consumer loop need besides their collaborators; plain Java, so tests and the
 * benchmark build it directly and the Quarkus apps map their {@code tessera.*} configuration onto it.
 *
 * @param service             the service name written into dead letters and logs (e.g. {@code image-indexer})
 * @param modality            what this indexer indexes; records claiming another modality are dead-lettered
 * @param sourceTopic         the topic consumed (e.g. {@code media.image}, with any prefix)
 * @param indexedTopic        where {@code MediaIndexed} events go
 * @param deadLetterTopic     where dead letters go
 * @param groupId             the consumer group
 * @param pollRecords         the most records one poll returns (Kafka max.poll.records)
 * @param maxInFlight         records read but not yet finished; at this many the consumer pauses its partitions
 * @param decodeThreads       the bounded worker pool that fetches and decodes
 * @param decodedBudgetBytes  decoded pixels and text held at once (waiting for the embedding runtime); decoding
 *                            waits when it is spent, which bounds memory whatever the mix of items
 * @param writeBatchItems     the most items one Milvus write carries
 * @param writeMaxWait        how long the writer waits for more items before writing a partial batch
 * @param retryInitialBackoff first wait after a transient failure (Milvus, registry, model store, Kafka, fetch)
 * @param retryMaxBackoff     the cap of the exponential backoff; transient failures are retried for as long as it
 *                            takes, never dead-lettered
 * @param quietLogInterval    during an outage: one log line when it starts, then at most one per interval, one when
 *                            it ends
 * @param commitInterval      how often finished offsets are committed
 * @param shutdownTimeout     how long a stop waits for records in flight before it closes the consumer
 * @param pageTextWeight      weight of a page's text-layer embedding against its image embedding, in [0, 1]
 * @param textTask            instruction task for texts (null: the model's default task)
 * @param documentTextTask    instruction task for the text layer of document pages
 * @param momentSimilarity    videos: consecutive frames whose vectors have at least this cosine with the moment
 *                            they follow (and no scene cut or text change between) are one moment, one row; in
 *                            (0, 1], 1 keeps one row per sampled frame
 * @param decodeOptions       limits and targets of decoding; the chunk sizes of texts are derived from the model
 */
public record IndexerSettings(String service, Modality modality, String sourceTopic, String indexedTopic,
                              String deadLetterTopic, String groupId, int pollRecords, int maxInFlight,
                              int decodeThreads, long decodedBudgetBytes, int writeBatchItems, Duration writeMaxWait,
                              Duration retryInitialBackoff, Duration retryMaxBackoff, Duration quietLogInterval,
                              Duration commitInterval, Duration shutdownTimeout, double pageTextWeight,
                              String textTask, String documentTextTask, double momentSimilarity,
                              DecodeOptions decodeOptions) {

    public IndexerSettings {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(modality, "modality");
        if (modality == Modality.UNKNOWN) {
            throw new IllegalArgumentException("an indexer needs a modality: IMAGE, VIDEO, DOCUMENT or TEXT");
        }
        Objects.requireNonNull(sourceTopic, "sourceTopic");
        Objects.requireNonNull(indexedTopic, "indexedTopic");
        Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(decodeOptions, "decodeOptions");
        positive("pollRecords", pollRecords);
        positive("maxInFlight", maxInFlight);
        positive("decodeThreads", decodeThreads);
        positive("writeBatchItems", writeBatchItems);
        if (decodedBudgetBytes < 1 << 20) {
            throw new IllegalArgumentException("decodedBudgetBytes must be at least 1 MiB, was " + decodedBudgetBytes);
        }
        nonNegative("writeMaxWait", writeMaxWait);
        positive("retryInitialBackoff", retryInitialBackoff);
        positive("retryMaxBackoff", retryMaxBackoff);
        if (retryMaxBackoff.compareTo(retryInitialBackoff) < 0) {
            throw new IllegalArgumentException("retryMaxBackoff must not be below retryInitialBackoff");
        }
        positive("quietLogInterval", quietLogInterval);
        positive("commitInterval", commitInterval);
        positive("shutdownTimeout", shutdownTimeout);
        if (!(pageTextWeight >= 0 && pageTextWeight <= 1)) {
            throw new IllegalArgumentException("pageTextWeight must be in [0, 1], was " + pageTextWeight);
        }
        if (!(momentSimilarity > 0 && momentSimilarity <= 1)) {
            throw new IllegalArgumentException("momentSimilarity must be in (0, 1] (1: no merging), was "
                    + momentSimilarity);
        }
    }

    /**
     * The default of {@link #momentSimilarity()}: the lowest similarity (fewest rows) at which moment recall did not
     * drop at 1, 5 or 10 results anywhere it was measured (VideoMomentsBenchmarkTest: long shots of photographs and
     * slides, and the demo's videos, with tessera-base before and after the demo's training round). There, a shot
     * of 15 to 40 s on a tripod or hand-held becomes one moment (and one more per frame OCR read text on), a slow pan
     * or zoom two or three; at 0.95 and below the trained model starts to merge the demo's short moments (a shape
     * that moves or changes colour) and loses some of them.
     */
    public static final double DEFAULT_MOMENT_SIMILARITY = 0.96;

    /** Defaults for one modality on the default topics; the service is {@code <modality>-indexer}. */
    public static Builder builder(Modality modality) {
        return new Builder(modality);
    }

    public Builder toBuilder() {
        return new Builder(modality).service(service).topics(sourceTopic, indexedTopic, deadLetterTopic)
                .groupId(groupId).pollRecords(pollRecords).maxInFlight(maxInFlight).decodeThreads(decodeThreads)
                .decodedBudgetBytes(decodedBudgetBytes).writeBatchItems(writeBatchItems).writeMaxWait(writeMaxWait)
                .retryBackoff(retryInitialBackoff, retryMaxBackoff).quietLogInterval(quietLogInterval)
                .commitInterval(commitInterval).shutdownTimeout(shutdownTimeout).pageTextWeight(pageTextWeight)
                .textTask(textTask).documentTextTask(documentTextTask).momentSimilarity(momentSimilarity)
                .decodeOptions(decodeOptions);
    }

    private static void positive(String name, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + v);
        }
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }

    private static void nonNegative(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + d);
        }
    }

    public static final class Builder {
        private final Modality modality;
        private String service;
        private String sourceTopic;
        private String indexedTopic = Topics.MEDIA_INDEXED;
        private String deadLetterTopic = Topics.MEDIA_DLQ;
        private String groupId;
        private int pollRecords = 256;
        private int maxInFlight = 512;
        private int decodeThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private long decodedBudgetBytes = 256L << 20;
        private int writeBatchItems = 256;
        private Duration writeMaxWait = Duration.ofMillis(10);
        private Duration retryInitialBackoff = Duration.ofMillis(200);
        private Duration retryMaxBackoff = Duration.ofSeconds(5);
        private Duration quietLogInterval = Duration.ofSeconds(30);
        private Duration commitInterval = Duration.ofMillis(200);
        private Duration shutdownTimeout = Duration.ofSeconds(20);
        private double pageTextWeight = 0.5;
        private String textTask;
        private String documentTextTask = "document";
        private double momentSimilarity = DEFAULT_MOMENT_SIMILARITY;
        private DecodeOptions decodeOptions = DecodeOptions.defaults();

        private Builder(Modality modality) {
            this.modality = Objects.requireNonNull(modality, "modality");
            if (modality != Modality.UNKNOWN) {
                this.service = modality.name().toLowerCase(java.util.Locale.ROOT) + "-indexer";
                this.sourceTopic = Topics.forModality(modality);
                this.groupId = "tessera-" + service;
            }
        }

        public Builder service(String v) { service = v; return this; }
        public Builder groupId(String v) { groupId = v; return this; }
        public Builder pollRecords(int v) { pollRecords = v; return this; }
        public Builder maxInFlight(int v) { maxInFlight = v; return this; }
        public Builder decodeThreads(int v) { decodeThreads = v; return this; }
        public Builder decodedBudgetBytes(long v) { decodedBudgetBytes = v; return this; }
        public Builder writeBatchItems(int v) { writeBatchItems = v; return this; }
        public Builder writeMaxWait(Duration v) { writeMaxWait = v; return this; }
        public Builder quietLogInterval(Duration v) { quietLogInterval = v; return this; }
        public Builder commitInterval(Duration v) { commitInterval = v; return this; }
        public Builder shutdownTimeout(Duration v) { shutdownTimeout = v; return this; }
        public Builder pageTextWeight(double v) { pageTextWeight = v; return this; }
        public Builder textTask(String v) { textTask = v; return this; }
        public Builder documentTextTask(String v) { documentTextTask = v; return this; }
        public Builder momentSimilarity(double v) { momentSimilarity = v; return this; }
        public Builder decodeOptions(DecodeOptions v) { decodeOptions = v; return this; }

        public Builder retryBackoff(Duration initial, Duration max) {
            retryInitialBackoff = initial;
            retryMaxBackoff = max;
            return this;
        }

        /** Explicit topic names (already prefixed). */
        public Builder topics(String source, String indexed, String deadLetter) {
            sourceTopic = source;
            indexedTopic = indexed;
            deadLetterTopic = deadLetter;
            return this;
        }

        /** The default topic names under a prefix ({@link Topics#withPrefix}). */
        public Builder topicPrefix(String prefix) {
            return topics(Topics.withPrefix(prefix, Topics.forModality(modality)),
                    Topics.withPrefix(prefix, Topics.MEDIA_INDEXED), Topics.withPrefix(prefix, Topics.MEDIA_DLQ));
        }

        public IndexerSettings build() {
            return new IndexerSettings(service, modality, sourceTopic, indexedTopic, deadLetterTopic, groupId,
                    pollRecords, maxInFlight, decodeThreads, decodedBudgetBytes, writeBatchItems, writeMaxWait,
                    retryInitialBackoff, retryMaxBackoff, quietLogInterval, commitInterval, shutdownTimeout,
                    pageTextWeight, textTask, documentTextTask, momentSimilarity, decodeOptions);
        }
    }
}
