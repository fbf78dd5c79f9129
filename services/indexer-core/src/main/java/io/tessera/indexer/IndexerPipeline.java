package io.tessera.indexer;

import io.micrometer.core.instrument.MeterRegistry;
import io.tessera.catalog.client.CatalogPosition;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.model.ModelRef;
import io.tessera.embedding.model.ModelStore;
import io.tessera.events.ContentReference;
import io.tessera.events.IndexStatus;
import io.tessera.events.InlineBytes;
import io.tessera.events.InlineText;
import io.tessera.events.MediaArrived;
import io.tessera.events.MediaIndexed;
import io.tessera.events.Modality;
import io.tessera.indexer.internal.Failures;
import io.tessera.indexer.internal.ItemRejectedException;
import io.tessera.indexer.internal.KeyedSequencer;
import io.tessera.indexer.internal.MemoryBudget;
import io.tessera.indexer.internal.PipelineClosedException;
import io.tessera.indexer.internal.RecordLogContext;
import io.tessera.indexer.internal.Retrier;
import io.tessera.indexer.internal.WriteCoalescer;
import io.tessera.indexer.modality.ItemEmbedder;
import io.tessera.indexer.modality.ItemVectors;
import io.tessera.media.DecodeOptions;
import io.tessera.media.DecodedMedia;
import io.tessera.media.MediaDecoder;
import io.tessera.media.MediaException;
import io.tessera.media.MediaSource;
import io.tessera.media.RgbImage;
import io.tessera.rollout.BackfillIndexer;
import io.tessera.serde.DeadLetterHeaders;
import io.tessera.serde.DeserializationFailure;
import io.tessera.serde.PoisonPillException;
import io.tessera.vectorstore.MediaItem;
import io.tessera.vectorstore.ModelSpec;
import io.tessera.vectorstore.VectorRow;
import io.tessera.vectorstore.VectorStore;
import io.tessera.vectorstore.WriteResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The indexing pipeline of one indexer, as a function from a {@link SourceRecord} to the future of its
 * {@link Outcome}; independent of how records are consumed (the Kafka loop is {@link io.tessera.indexer.kafka.IndexerConsumer}),
 * so tests drive it directly.
 *
 * <p>Per record: read the Avro value (original bytes kept) → check it → fetch and decode on the bounded decode pool
 * (limits and allowlists of the media library; decoded media held within a memory budget) → embed every segment
 * through the runtime's shared batchers (batches fill across records) → pool and combine into the item's rows →
 * upsert them into the collection of the model version that made them, batched across records by one writer →
 * publish {@code MediaIndexed}. Only then does the future complete, so a caller that commits offsets on completion
 * commits only what is in Milvus. Records with the same key are processed in order; others concurrently.
 *
 * <p>Failures: poison pills (not Avro, unknown schema, corrupt or oversized media, URIs outside the allowlists, bad
 * ids) go to the DLQ with the original bytes and provenance headers, plus a FAILED event when the mediaId is known;
 * transient faults (Milvus, registry, model store, Kafka, a media server) are retried with backoff for as long as it
 * takes and never dead-lettered: the record's future simply stays open, which holds back its partition's commits and,
 * once enough records wait, pauses consumption. A tombstone deletes the item's rows and publishes DELETED.
 */
public final class IndexerPipeline implements AutoCloseable {

    /** The reason code of a record that failed the same unexpected way {@value Retrier#UNEXPECTED_ATTEMPTS} times. */
    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";

    private static final Logger LOG = LoggerFactory.getLogger(IndexerPipeline.class);

    private final IndexerSettings settings;
    private final MediaDecoder decoder;
    private final TargetCollections targets;
    private final VectorStore store;
    private final Outputs outputs;
    private final Deserializer<MediaArrived> deserializer;
    private final IndexerMetrics metrics;
    private final DependencyHealth health;
    private final ItemEmbedder embedder;
    private final ModelDecodeOptions decodeOptions;
    private final ExecutorService decodePool;
    private final ExecutorService stagePool;
    private final ScheduledExecutorService scheduler;
    private final Retrier retrier;
    private final KeyedSequencer sequencer = new KeyedSequencer();
    private final MemoryBudget budget;
    private final WriteCoalescer writer;
    private final io.tessera.media.Modality mediaModality;
    private final AtomicInteger active = new AtomicInteger();
    private volatile boolean closed;

    /**
     * @param decoder      fetches and decodes under the service's limits and allowlists (owned by the caller)
     * @param targets      the model versions to index for (runtimes owned by the caller)
     * @param models       where model directories are found (for the text tokenizer)
     * @param store        the vector store (owned by the caller)
     * @param outputs      events and dead letters (owned by the caller)
     * @param deserializer reads {@link MediaArrived} values (Confluent wire format)
     */
    public IndexerPipeline(IndexerSettings settings, MediaDecoder decoder, TargetCollections targets, ModelStore models,
                           VectorStore store, Outputs outputs, Deserializer<MediaArrived> deserializer,
                           DependencyHealth health, IndexerMetrics metrics) {
        this.settings = settings;
        this.decoder = decoder;
        this.targets = targets;
        this.store = store;
        this.outputs = outputs;
        this.deserializer = deserializer;
        this.health = health;
        this.metrics = metrics;
        this.embedder = ItemEmbedder.forModality(settings.modality(), settings);
        this.decodeOptions = new ModelDecodeOptions(models, settings.decodeOptions());
        this.mediaModality = io.tessera.media.Modality.valueOf(settings.modality().name());
        this.decodePool = Executors.newFixedThreadPool(settings.decodeThreads(), named("indexer-decode"));
        this.stagePool = Executors.newFixedThreadPool(2, named("indexer-stage"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(named("indexer-retry"));
        io.tessera.retry.RetryPolicy backoff = io.tessera.retry.RetryPolicy.unbounded(settings.retryInitialBackoff(),
                settings.retryMaxBackoff());
        this.retrier = new Retrier(scheduler, backoff, health, metrics, () -> closed);
        this.budget = new MemoryBudget(settings.decodedBudgetBytes());
        this.writer = new WriteCoalescer(store, settings.writeBatchItems(), settings.writeMaxWait(), backoff, health,
                metrics);
        metrics.gauge("tessera.indexer.pipeline.active", "records being processed by the pipeline", active::get);
        metrics.gauge("tessera.indexer.decoded.budget.free.bytes", "decoded-media budget left",
                budget::availableBytes);
    }

    /** Convenience for tests: a fresh {@link DependencyHealth} and metrics on the given registry. */
    public static IndexerPipeline create(IndexerSettings settings, MediaDecoder decoder, TargetCollections targets,
                                         ModelStore models, VectorStore store, Outputs outputs,
                                         Deserializer<MediaArrived> deserializer, MeterRegistry meters) {
        return new IndexerPipeline(settings, decoder, targets, models, store, outputs, deserializer,
                new DependencyHealth(settings.quietLogInterval()), new IndexerMetrics(meters, settings));
    }

    public IndexerSettings settings() {
        return settings;
    }

    public DependencyHealth health() {
        return health;
    }

    /** Records submitted and not yet finished. */
    public int active() {
        return active.get();
    }

    /**
     * Processes one record. The future completes when the record is finished (see {@link Outcome}); it fails only
     * when the pipeline closes first, and then the record must not be committed.
     */
    public CompletableFuture<Outcome> submit(SourceRecord record) {
        metrics.recordIn();
        active.incrementAndGet();
        CompletableFuture<Outcome> result;
        try {
            result = sequencer.submit(record.keyString(), () -> process(record));
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.whenComplete((outcome, error) -> {
            active.decrementAndGet();
            if (outcome != null) {
                metrics.outcome(outcome, record.timestamp());
            }
        });
    }

    private CompletableFuture<Outcome> process(SourceRecord record) {
        if (record.isTombstone()) {
            return delete(record);
        }
        CompletableFuture<MediaArrived> read = retrier.retry(record, null, "read the record",
                () -> CompletableFuture.supplyAsync(() -> deserializer.deserialize(record.topic(), record.value()),
                        decodePool));
        return read.handle((arrived, error) -> error == null ? index(record, arrived) : fail(record, null, error))
                .thenCompose(f -> f);
    }

    // ------------------------------------------------------------------------------------------------ indexing

    private record Decoded(DecodedMedia media, MemoryBudget.Lease lease) {
    }

    private record Written(ItemVectors vectors, String collection, int rows, WriteResult result) {
    }

    private CompletableFuture<Outcome> index(SourceRecord record, MediaArrived arrived) {
        String mediaId = arrived.getMediaId();
        CompletableFuture<Outcome> done;
        try {
            check(record, arrived);
            List<EmbeddingRuntime> runtimes = targets.runtimes();
            CompletableFuture<Decoded> decoded = retrier.retry(record, mediaId, "decode",
                    () -> CompletableFuture.supplyAsync(() -> decode(arrived, runtimes.get(0)), decodePool));
            CompletableFuture<List<ItemVectors>> embedded = decoded.thenCompose(d ->
                    embedAll(record, arrived, runtimes, d.media()).whenComplete((v, e) -> d.lease().release()));
            CompletableFuture<List<Written>> written = embedded.thenCompose(vectors -> writeAll(record, arrived, vectors,
                    false));
            done = written.thenCompose(w -> publishIndexed(record, arrived, w));
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        return done.handle((outcome, error) -> error == null ? CompletableFuture.completedFuture(outcome)
                : fail(record, arrived, error)).thenCompose(f -> f);
    }

    /**
     * Re-indexes one media.catalog item for a model roll-out's backfill ({@link io.tessera.rollout.BackfillIndexer}):
     * the same decode → embed → write → {@code MediaIndexed} path as an arrival, for the one given runtime (the new
     * version) only. Bad content is REJECTED without a dead letter (the item was dead-lettered when it arrived);
     * transient faults are retried here as for any record; the future fails only when the pipeline closes.
     */
    public CompletableFuture<BackfillIndexer.Outcome> reindex(MediaArrived arrived, CatalogPosition source,
                                                              EmbeddingRuntime runtime) {
        String mediaId = arrived.getMediaId();
        SourceRecord record = new SourceRecord(source.topic(), source.partition(), source.offset(),
                mediaId.getBytes(StandardCharsets.UTF_8), null, List.of(), arrived.getOccurredAt().toEpochMilli());
        List<EmbeddingRuntime> only = List.of(runtime);
        active.incrementAndGet();
        CompletableFuture<Outcome> done;
        try {
            check(record, arrived);
            CompletableFuture<Decoded> decoded = retrier.retry(record, mediaId, "decode",
                    () -> CompletableFuture.supplyAsync(() -> decode(arrived, runtime), decodePool));
            done = decoded.thenCompose(d -> embedAll(record, arrived, only, d.media())
                            .whenComplete((v, e) -> d.lease().release()))
                    .thenCompose(vectors -> writeAll(record, arrived, vectors, true))
                    .thenCompose(w -> publishIndexed(record, arrived, w));
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        return done.handle((outcome, error) -> {
            active.decrementAndGet();
            if (error == null) {
                return BackfillIndexer.Outcome.INDEXED;
            }
            Failures.Kind kind = Failures.classify(error);
            if (kind instanceof Failures.Poison || kind instanceof Failures.Unexpected) {
                RecordLogContext.run(record, mediaId, () -> LOG.warn("backfill skips {} from {}: {}", mediaId,
                        source, Failures.unwrap(error).toString()));
                return BackfillIndexer.Outcome.REJECTED;
            }
            throw new CompletionException(Failures.unwrap(error));
        });
    }

    private void check(SourceRecord record, MediaArrived arrived) {
        if (arrived.getModality() != settings.modality()) {
            throw new ItemRejectedException("MODALITY_MISMATCH", "the record says " + arrived.getModality() + " but "
                    + settings.service() + " indexes " + settings.modality() + " (topic " + record.topic()
                    + "); media-catalog routes each item to the topic of its modality");
        }
        String key = record.keyString();
        if (key != null && !key.equals(arrived.getMediaId())) {
            throw new ItemRejectedException("KEY_MISMATCH", "the record's key '" + key + "' is not its mediaId '"
                    + arrived.getMediaId() + "': publish with the mediaId as key, or updates and deletes of the item"
                    + " could overtake each other");
        }
    }

    private Decoded decode(MediaArrived arrived, EmbeddingRuntime current) {
        long start = System.nanoTime();
        DecodeOptions options = settings.modality() == Modality.TEXT
                ? decodeOptions.forText(current, settings.textTask(), arrived.getInstruction())
                : decodeOptions.forPixels(current);
        DecodedMedia media;
        try {
            media = decoder.decode(sourceOf(arrived), mediaModality, options);
        } catch (MediaException e) {
            throw new CompletionException(e);
        }
        metrics.decode().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        if (media.segmentCount() == 0) {
            throw new ItemRejectedException("EMPTY", "nothing to index: the " + settings.modality().name().toLowerCase()
                    + " decoded to no frames, pages or chunks");
        }
        try {
            return new Decoded(media, budget.acquire(sizeOf(media)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PipelineClosedException("interrupted while waiting for decode budget", e);
        }
    }

    private static MediaSource sourceOf(MediaArrived arrived) {
        Object content = arrived.getContent();
        if (content instanceof InlineBytes inline) {
            ByteBuffer data = inline.getData().duplicate();
            byte[] bytes;
            if (data.hasArray() && data.arrayOffset() == 0 && data.position() == 0
                    && data.remaining() == data.array().length) {
                // The deserializer's own array for this record, exactly the content: decoding only reads it.
                bytes = data.array();
            } else {
                bytes = new byte[data.remaining()];
                data.get(bytes);
            }
            return MediaSource.bytes(bytes, arrived.getContentType());
        }
        if (content instanceof ContentReference ref) {
            return MediaSource.reference(ref.getUri(), ref.getSizeBytes(), ref.getSha256());
        }
        if (content instanceof InlineText text) {
            return MediaSource.text(text.getText());
        }
        throw new ItemRejectedException("INVALID_CONTENT", "content of type "
                + (content == null ? "null" : content.getClass().getSimpleName()) + " is not one the indexers read");
    }

    private static long sizeOf(DecodedMedia media) {
        return switch (media) {
            case DecodedMedia.DecodedImage image -> pixels(image.image());
            case DecodedMedia.DecodedVideo video -> video.frames().stream()
                    .mapToLong(f -> pixels(f.image()) + 2L * f.text().length()).sum();
            case DecodedMedia.DecodedDocument doc -> doc.pages().stream()
                    .mapToLong(p -> pixels(p.image()) + 2L * p.text().length()).sum();
            case DecodedMedia.DecodedText text -> 4L * text.text().length();
        };
    }

    private static long pixels(RgbImage image) {
        return image.rgb().length;
    }

    private CompletableFuture<List<ItemVectors>> embedAll(SourceRecord record, MediaArrived arrived,
                                                          List<EmbeddingRuntime> runtimes, DecodedMedia media) {
        List<CompletableFuture<ItemVectors>> all = new ArrayList<>(runtimes.size());
        for (EmbeddingRuntime runtime : runtimes) {
            long start = System.nanoTime();
            all.add(retrier.retry(record, arrived.getMediaId(), "embed",
                    () -> embedder.embed(runtime, arrived, media))
                    .whenComplete((v, e) -> metrics.embed().record(System.nanoTime() - start, TimeUnit.NANOSECONDS)));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenApply(v -> all.stream().map(CompletableFuture::join).toList());
    }

    private CompletableFuture<List<Written>> writeAll(SourceRecord record, MediaArrived arrived,
                                                      List<ItemVectors> perModel, boolean backfill) {
        List<CompletableFuture<Written>> all = new ArrayList<>(perModel.size());
        for (ItemVectors vectors : perModel) {
            MediaItem item = rowsOf(arrived, vectors);
            ModelSpec spec = new ModelSpec(vectors.model().name(), vectors.model().version(), vectors.dimension());
            String collection = store.naming().collection(spec.name(), spec.version());
            all.add(retrier.retry(record, arrived.getMediaId(), "write",
                    () -> writer.upsert(spec, collection, item))
                    .thenApply(result -> {
                        // Embeddings per version, so that what a roll-out costs shows (IndexerMetrics).
                        metrics.writtenFor(vectors.model(), item.rows().size(), backfill);
                        return new Written(vectors, collection, item.rows().size(), result);
                    }));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenApply(v -> all.stream().map(CompletableFuture::join).toList());
    }

    /**
     * The rows of docs/architecture.md: the whole-item row always (with the video's time span), plus one row per segment
     * when the item has more than one; attributes go with every row, and each row keeps the text it was embedded from
     * (its passage; the whole-item row its first segment's) for search results to show.
     */
    static MediaItem rowsOf(MediaArrived arrived, ItemVectors vectors) {
        String mediaId = arrived.getMediaId();
        String tenant = arrived.getTenant();
        String modality = arrived.getModality().name();
        Map<String, String> attributes = arrived.getAttributes() == null ? Map.of() : arrived.getAttributes();
        List<VectorRow> rows = new ArrayList<>(vectors.segments().size() + 1);
        rows.add(new VectorRow(mediaId, tenant, modality, io.tessera.vectorstore.VectorFields.WHOLE_ITEM,
                vectors.wholeStartMs(), vectors.wholeEndMs(), vectors.whole(), attributes, vectors.wholePassage()));
        if (vectors.hasSegmentRows()) {
            for (ItemVectors.Segment s : vectors.segments()) {
                rows.add(new VectorRow(mediaId, tenant, modality, s.index(), s.startMs(), s.endMs(), s.vector(),
                        attributes, s.passage()));
            }
        }
        return new MediaItem(mediaId, tenant, rows);
    }

    private CompletableFuture<Outcome> publishIndexed(SourceRecord record, MediaArrived arrived, List<Written> written) {
        List<CompletableFuture<Void>> sends = new ArrayList<>(written.size());
        for (Written w : written) {
            MediaIndexed event = MediaIndexed.newBuilder()
                    .setMediaId(arrived.getMediaId())
                    .setTenant(arrived.getTenant())
                    .setModality(arrived.getModality())
                    .setModelName(w.vectors().model().name())
                    .setModelVersion(w.vectors().model().version())
                    .setCollection(w.collection())
                    .setSegments(w.rows())
                    .setStatus(IndexStatus.INDEXED)
                    .setError(null)
                    .setArrivedAt(arrived.getOccurredAt())
                    .setIndexedAt(Instant.ofEpochMilli(w.result().indexedAt()))
                    .build();
            sends.add(publish(record, arrived.getMediaId(), event));
        }
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).thenApply(v -> {
            RecordLogContext.run(record, arrived.getMediaId(), () -> LOG.debug("indexed {} from {} ({} rows)",
                    arrived.getMediaId(), record.location(), written.get(0).rows()));
            return Outcome.indexed(arrived.getMediaId(), written.get(0).rows());
        });
    }

    private CompletableFuture<Void> publish(SourceRecord record, String mediaId, MediaIndexed event) {
        return retrier.retry(record, mediaId, "publish the " + event.getStatus() + " event",
                () -> CompletableFuture.supplyAsync(() -> outputs.indexed(event), stagePool).thenCompose(f -> f));
    }

    // ------------------------------------------------------------------------------------------------ deletes

    private CompletableFuture<Outcome> delete(SourceRecord record) {
        String mediaId = record.keyString();
        if (mediaId == null || mediaId.isBlank()) {
            return fail(record, null, new ItemRejectedException("TOMBSTONE_WITHOUT_KEY",
                    "a tombstone (null value) deletes the item named by its key, and this one has no key"));
        }
        String tenant = record.header(IndexerHeaders.TENANT);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        CompletableFuture<Outcome> done;
        try {
            for (EmbeddingRuntime runtime : targets.runtimes()) {
                ModelRef model = runtime.model();
                ModelSpec spec = new ModelSpec(model.name(), model.version(), runtime.manifest().dimension());
                String collection = store.naming().collection(model.name(), model.version());
                all.add(retrier.retry(record, mediaId, "delete", () -> writer.delete(spec, collection, mediaId))
                        .thenCompose(deleted -> publish(record, mediaId, MediaIndexed.newBuilder()
                                .setMediaId(mediaId)
                                .setTenant(tenant == null ? "" : tenant)
                                .setModality(settings.modality())
                                .setModelName(model.name())
                                .setModelVersion(model.version())
                                .setCollection(collection)
                                .setSegments(0)
                                .setStatus(IndexStatus.DELETED)
                                .setError(null)
                                .setArrivedAt(Instant.ofEpochMilli(Math.max(0, record.timestamp())))
                                .setIndexedAt(Instant.now())
                                .build())));
            }
            done = CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> Outcome.deleted(mediaId));
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        return done.handle((outcome, error) -> error == null ? CompletableFuture.completedFuture(outcome)
                : fail(record, null, error)).thenCompose(f -> f);
    }

    // ------------------------------------------------------------------------------------------------ failures

    private CompletableFuture<Outcome> fail(SourceRecord record, MediaArrived arrived, Throwable error) {
        Failures.Kind kind = Failures.classify(error);
        String code;
        String message;
        Throwable cause;
        switch (kind) {
            case Failures.Poison p -> {
                code = p.reasonCode();
                message = p.message();
                cause = p.cause();
            }
            case Failures.Unexpected u -> {
                code = INTERNAL_ERROR;
                message = "processing failed " + Retrier.UNEXPECTED_ATTEMPTS + " times with an unexpected error: "
                        + u.cause();
                cause = u.cause();
            }
            default -> {
                // Closing (or a transient fault surfacing at close): leave the record unfinished, uncommitted.
                return CompletableFuture.failedFuture(Failures.unwrap(error));
            }
        }
        String mediaId = arrived == null ? null : arrived.getMediaId();
        RecordLogContext.run(record, mediaId, () -> {
            if (kind instanceof Failures.Unexpected) {
                LOG.error("dead-lettering {} ({}): {}", record.location(), code, message, cause);
            } else {
                LOG.warn("dead-lettering {} ({}): {}", record.location(), code, message);
            }
        });
        DeadLetter letter = deadLetterOf(record, code, message, cause);
        CompletableFuture<Void> dlq = retrier.retry(record, mediaId, "dead-letter",
                () -> CompletableFuture.supplyAsync(() -> outputs.deadLetter(letter), stagePool).thenCompose(f -> f));
        CompletableFuture<Void> failed = CompletableFuture.completedFuture(null);
        if (arrived != null) {
            ModelRef current = targets.runtimes().get(0).model();
            failed = publish(record, mediaId, MediaIndexed.newBuilder()
                    .setMediaId(arrived.getMediaId())
                    .setTenant(arrived.getTenant())
                    .setModality(arrived.getModality())
                    .setModelName(current.name())
                    .setModelVersion(current.version())
                    .setCollection(store.naming().collection(current.name(), current.version()))
                    .setSegments(0)
                    .setStatus(IndexStatus.FAILED)
                    .setError(message)
                    .setArrivedAt(arrived.getOccurredAt())
                    .setIndexedAt(Instant.now())
                    .build());
        }
        return CompletableFuture.allOf(dlq, failed).thenApply(v -> Outcome.deadLettered(mediaId, code));
    }

    /** The original key, bytes and headers plus provenance (the header names SmallRye's DLQ uses). */
    private DeadLetter deadLetterOf(SourceRecord record, String code, String message, Throwable cause) {
        RecordHeaders original = new RecordHeaders(record.headers().toArray(Header[]::new));
        List<Header> headers = new ArrayList<>();
        if (cause instanceof PoisonPillException) {
            ProducerRecord<byte[], byte[]> out = new DeserializationFailure(record.topic(), record.partition(),
                    record.offset(), record.key(), record.value(), original, cause)
                    .toDeadLetter(settings.deadLetterTopic(), settings.service());
            out.headers().forEach(headers::add);
        } else {
            for (Header h : original) {
                if (!h.key().startsWith("dead-letter-")) {
                    headers.add(h);
                }
            }
            Throwable root = cause;
            while (root != null && root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            add(headers, DeadLetterHeaders.REASON, message);
            if (root != null && root != cause) {
                add(headers, DeadLetterHeaders.CAUSE, String.valueOf(root.getMessage()));
                add(headers, DeadLetterHeaders.CAUSE_CLASS, root.getClass().getName());
            }
            add(headers, DeadLetterHeaders.EXCEPTION_CLASS, cause == null ? "none" : cause.getClass().getName());
            add(headers, DeadLetterHeaders.TOPIC, record.topic());
            add(headers, DeadLetterHeaders.PARTITION, Integer.toString(record.partition()));
            add(headers, DeadLetterHeaders.OFFSET, Long.toString(record.offset()));
            add(headers, DeadLetterHeaders.SERVICE, settings.service());
        }
        headers.removeIf(h -> h.key().equals(IndexerHeaders.REASON_CODE));
        add(headers, IndexerHeaders.REASON_CODE, code);
        return new DeadLetter(settings.deadLetterTopic(), record.key(), record.value(), headers);
    }

    private static void add(List<Header> headers, String key, String value) {
        headers.add(new RecordHeader(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8)));
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    /**
     * Stops: records still waiting (for a retry, the writer, a dependency) complete exceptionally and must not be
     * committed. The decoder, runtimes, store and outputs belong to the caller.
     */
    @Override
    public void close() {
        closed = true;
        writer.close();
        scheduler.shutdownNow();
        decodePool.shutdownNow();
        stagePool.shutdown();
        try {
            decodePool.awaitTermination(5, TimeUnit.SECONDS);
            stagePool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        decodeOptions.close();
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> Thread.ofPlatform().name(prefix + "-" + n.incrementAndGet()).daemon().unstarted(r);
    }
}
