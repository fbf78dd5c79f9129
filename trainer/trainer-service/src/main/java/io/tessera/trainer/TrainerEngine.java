package io.tessera.trainer;

import io.tessera.retry.Fault;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.model.DefaultModels;
import io.tessera.embedding.model.LocalModelStore;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.model.ModelRef;
import io.tessera.embedding.model.ModelStore;
import io.tessera.embedding.model.ModelStoreException;
import io.tessera.events.CuratedPair;
import io.tessera.events.ModelStatus;
import io.tessera.events.ModelVersion;
import io.tessera.media.MediaDecoder;
import io.tessera.objectstore.ModelStores;
import io.tessera.trainer.features.CatalogLookup;
import io.tessera.trainer.features.FeatureCache;
import io.tessera.trainer.features.FeatureExtractor;
import io.tessera.trainer.round.ModelWriter;
import io.tessera.trainer.round.PublishedModels;
import io.tessera.trainer.round.RoundDataset;
import io.tessera.trainer.round.RoundRunner;
import io.tessera.trainer.round.TrainingReport;
import io.tessera.trainer.round.VersionNumbering;
import io.tessera.trainer.store.PairStore;
import io.tessera.trainer.store.RoundLedger;
import io.tessera.training.Projection;
import io.tessera.training.StepRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's loop, without Quarkus: buffered pairs in, rounds run one at a time on their own thread, model versions
 * written to the store and published. Crash safety rests on three facts: pairs are on disk before their offsets are
 * committed ({@link PairStore}); a round's result is in the {@link RoundLedger} before anything is published; and at
 * start the ledger is compared with {@code models.published}, so a round interrupted between its records gets exactly
 * its missing records published.
 */
public final class TrainerEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerEngine.class);

    /** The view of {@code models.published}: caught up to the topic's end at the time of the call. */
    @FunctionalInterface
    public interface PublishedView {
        PublishedModels catchUp(Duration timeout);
    }

    /** Publishes one record to {@code models.published} and returns once the broker acknowledged it. */
    @FunctionalInterface
    public interface VersionSink {
        void publish(ModelVersion version) throws Exception;
    }

    private final TrainerSettings settings;
    private final PairStore pairs;
    private final RoundLedger ledger;
    /** Where versions are published: the local directory, or an object store with that directory as its cache. */
    private final ModelStore store;
    /** Where rounds write new versions before they are published. */
    private final LocalModelStore local;
    private final PublishedView published;
    private final VersionSink sink;
    private final CatalogLookup catalog;
    private final MediaDecoder decoder;
    private final Function<ModelDirectory, EmbeddingRuntime> runtimeStarter;
    private final Clock clock;
    private final ExecutorService roundThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "trainer-round");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicReference<TrainingStatus.Round> round = new AtomicReference<>(TrainingStatus.Round.idle());
    private final AtomicReference<TrainingStatus.LastRound> lastRound = new AtomicReference<>();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final Counter roundsPromoted;
    private final Counter roundsRejected;
    private final Counter roundsFailed;
    private final Timer roundTimer;
    private final MeterRegistry registry;

    private volatile long trainedUpTo;
    private volatile Instant lastRoundEnd;
    private volatile ModelDirectory live;
    private EmbeddingRuntime runtime;
    private FeatureCache cache;
    private String fingerprint;

    public TrainerEngine(TrainerSettings settings, PairStore pairs, RoundLedger ledger, ModelStore store,
                         PublishedView published, VersionSink sink, CatalogLookup catalog, MediaDecoder decoder,
                         Function<ModelDirectory, EmbeddingRuntime> runtimeStarter, MeterRegistry registry, Clock clock) {
        this.settings = settings;
        this.pairs = pairs;
        this.ledger = ledger;
        this.store = store;
        this.local = ModelStores.localDirectory(store);
        this.published = published;
        this.sink = sink;
        this.catalog = catalog;
        this.decoder = decoder;
        this.runtimeStarter = runtimeStarter;
        this.clock = clock;
        this.registry = registry;
        this.lastRoundEnd = clock.instant();
        this.roundsPromoted = Counter.builder("tessera.trainer.rounds").tag("outcome", "promoted").register(registry);
        this.roundsRejected = Counter.builder("tessera.trainer.rounds").tag("outcome", "rejected").register(registry);
        this.roundsFailed = Counter.builder("tessera.trainer.rounds").tag("outcome", "failed").register(registry);
        this.roundTimer = Timer.builder("tessera.trainer.round.duration").register(registry);
        Gauge.builder("tessera.trainer.pairs.buffered", pairs, PairStore::size).register(registry);
        Gauge.builder("tessera.trainer.pairs.new", this, e -> e.newPairs()).register(registry);
        Gauge.builder("tessera.trainer.round.progress", this, e -> e.round.get().progress()).register(registry);
        Gauge.builder("tessera.trainer.model.live.version", this, e -> e.live == null ? 0 : e.live.ref().version())
                .register(registry);
    }

    /**
     * Catches up with {@code models.published}, publishes whatever the ledger's rounds are still missing, and loads the
     * live model. Retriable failures (Kafka, the store) propagate: the caller retries the start.
     */
    public synchronized void start(Duration catchUpTimeout) {
        PublishedModels view = published.catchUp(catchUpTimeout);
        recover(view);
        List<RoundLedger.Entry> done = ledger.entries(settings.modelName());
        trainedUpTo = done.isEmpty() ? -1 : done.get(done.size() - 1).pairSequence();
        ModelRef liveRef = new ModelRef(settings.modelName(), view.liveVersion().orElse(settings.baseVersion()));
        load(openModel(liveRef));
        LOG.info("trainer ready: live model {}, {} pairs buffered ({} new), backbone {}", liveRef, pairs.size(),
                newPairs(), fingerprint);
    }

    /** Publishes the records the ledger's rounds lack on the topic, in order. */
    void recover(PublishedModels view) {
        for (RoundLedger.Entry e : ledger.entries(settings.modelName())) {
            RoundLedger.Entry entry = e;
            for (ModelStatus status : entry.statuses()) {
                if (view.has(entry.version(), status)) {
                    if (!entry.published().contains(status.name())) {
                        entry = entry.withPublished(status);
                        ledger.save(entry);
                    }
                    continue;
                }
                if (entry.published().contains(status.name())) {
                    // Published earlier and since compacted away: never publish a version's record twice.
                    continue;
                }
                LOG.info("recovering round of {}/{}: publishing its {} record", entry.modelName(), entry.version(), status);
                publish(entry.toEvent(status));
                entry = entry.withPublished(status);
                ledger.save(entry);
                view.apply(entry.toEvent(status));
            }
        }
    }

    private ModelDirectory openModel(ModelRef ref) {
        return DefaultModels.openOrInstall(store, ref);
    }

    private void load(ModelDirectory dir) {
        if (runtime == null) {
            runtime = runtimeStarter.apply(dir);
        } else {
            runtime.swap(dir);
        }
        String fp = FeatureExtractor.backboneFingerprint(runtime);
        if (!fp.equals(fingerprint)) {
            if (cache != null) {
                cache.close();
            }
            cache = FeatureCache.open(settings.dataDir().resolve("features"), fp);
            fingerprint = fp;
        }
        live = dir;
    }

    /** Counts a pair the consumer stored (or found unchanged); may start a round. */
    public void onPairStored(PairStore.Outcome outcome) {
        received.incrementAndGet();
        if (outcome != PairStore.Outcome.UNCHANGED) {
            maybeStartRound();
        }
    }

    public void onDeadLettered() {
        deadLettered.incrementAndGet();
    }

    public int newPairs() {
        return pairs.countAfter(trainedUpTo);
    }

    /** Starts a round if the trigger says so; returns why, or empty. */
    public Optional<String> maybeStartRound() {
        if (live == null) {
            return Optional.empty();
        }
        Optional<String> due = settings.trigger().due(clock.instant(), newPairs(), pairs.size(), lastRoundEnd,
                running.get());
        due.ifPresent(this::submit);
        return due;
    }

    /** Starts a round now (the REST endpoint); false when one is running already. */
    public boolean requestRound(String reason) {
        return live != null && submit(reason);
    }

    private boolean submit(String reason) {
        if (!running.compareAndSet(false, true)) {
            return false;
        }
        roundThread.execute(() -> {
            try {
                runRound(reason);
            } catch (RuntimeException | Error e) {
                roundsFailed.increment();
                LOG.error("training round failed ({}); pairs stay buffered for the next round", reason, e);
                TrainingStatus.Round r = round.get();
                lastRound.set(new TrainingStatus.LastRound(r.version(), "FAILED", String.valueOf(e.getMessage()),
                        r.startedAt(), clock.instant(), Map.of(), 0, 0, Map.of()));
                lastRoundEnd = clock.instant();
            } finally {
                round.set(TrainingStatus.Round.idle());
                running.set(false);
            }
        });
        return true;
    }

    private void phase(String state, Integer version, String trigger, Instant started, double progress, String detail) {
        round.set(new TrainingStatus.Round(state, version, trigger, started, progress, detail));
    }

    private synchronized void runRound(String trigger) {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        Map<String, Long> phases = new TreeMap<>();
        phase("FEATURES", null, trigger, started, 0, "catching up with models.published");
        PublishedModels view = published.catchUp(Duration.ofSeconds(30));
        int liveVersion = view.liveVersion().orElse(settings.baseVersion());
        if (live.ref().version() != liveVersion) {
            // Someone else (an operator's rollback, another trainer) changed the live version: train from that one.
            load(openModel(new ModelRef(settings.modelName(), liveVersion)));
        }
        ModelDirectory parent = live;
        catalog.catchUp(Duration.ofSeconds(30));
        List<PairStore.StoredPair> snapshot = pairs.snapshot();
        long highWater = snapshot.stream().mapToLong(PairStore.StoredPair::sequence).max().orElse(-1);
        List<CuratedPair> curated = snapshot.stream().map(PairStore.StoredPair::decode).toList();
        FeatureExtractor extractor = new FeatureExtractor(runtime, decoder, settings.decodeOptions(
                runtime.manifest().image() == null ? 0 : runtime.manifest().image().decodeShortSide(), runtime.inputShortSide()),
                catalog, cache, settings.queryTextTask());
        RoundDataset data = RoundDataset.build(curated, settings.split(), requests -> extractor.extract(requests,
                (done, total) -> phase("FEATURES", null, trigger, started, 0.2 * done / Math.max(1, total),
                        "features " + done + "/" + total + " items")));
        phases.put("features", (System.nanoTime() - t0) / 1_000_000);
        if (data.trainPairs() < 1 || data.validationPairs() < settings.minValidationPairs()) {
            String reason = "not enough usable pairs: " + data.trainPairs() + " training, " + data.validationPairs()
                    + " validation (need " + settings.minValidationPairs() + "); excluded " + data.excluded()
                    + ", deferred " + data.deferred();
            LOG.warn("training round skipped: {}", reason);
            trainedUpTo = highWater;
            lastRoundEnd = clock.instant();
            lastRound.set(new TrainingStatus.LastRound(null, "SKIPPED", reason, started, clock.instant(), phases,
                    data.trainPairs(), data.validationPairs(), Map.of()));
            return;
        }
        int version = VersionNumbering.next(view.versions(), store.versions(settings.modelName()),
                ledger.versions(settings.modelName()));
        LOG.info("training round for {}/{} from v{} ({}): {} training and {} validation pairs, excluded {}, deferred {}",
                settings.modelName(), version, parent.ref().version(), trigger, data.trainPairs(), data.validationPairs(),
                data.excluded(), data.deferred());
        Map<String, Projection> base = ModelWriter.projections(parent);
        long t1 = System.nanoTime();
        RoundRunner.Settings runSettings = new RoundRunner.Settings(settings.recipe(), settings.ingredients(),
                settings.soup(), settings.shrinkTolerance(), settings.seed() + 1000L * version, settings.gate());
        RoundRunner.Result result = RoundRunner.run(data.training(), data.validation(), base, runSettings,
                new RoundRunner.Listener() {
                    @Override
                    public void phase(String p) {
                        String state = p.startsWith("souping") ? "SOUPING" : "TRAINING";
                        TrainingStatus.Round r = round.get();
                        TrainerEngine.this.phase(state, version, trigger, started,
                                state.equals("SOUPING") ? 0.9 : Math.max(0.2, r.progress()), p);
                    }

                    @Override
                    public void step(int ingredient, int ingredients, StepRecord step, int totalSteps) {
                        double within = (ingredient + (step.step() + 1.0) / totalSteps) / ingredients;
                        TrainerEngine.this.phase("TRAINING", version, trigger, started, 0.2 + 0.7 * within,
                                String.format(java.util.Locale.ROOT, "ingredient %d/%d step %d/%d loss %.4f",
                                        ingredient + 1, ingredients, step.step() + 1, totalSteps, step.loss()));
                    }
                });
        phases.put("training", result.trainingMillis());
        phases.put("soup", result.soupMillis());

        phase("WRITING", version, trigger, started, 0.92, "writing " + settings.modelName() + "/" + version);
        long t2 = System.nanoTime();
        List<TrainingReport.RoundPoint> history = new ArrayList<>();
        for (RoundLedger.Entry e : ledger.entries(settings.modelName())) {
            history.add(new TrainingReport.RoundPoint(e.version(), e.metrics().getOrDefault("score.before", Double.NaN),
                    e.metrics().getOrDefault("score.after", Double.NaN), e.decision()));
        }
        TrainingReport.Pairs pairCounts = new TrainingReport.Pairs(snapshot.size(), data.trainPairs(),
                data.validationPairs(), data.excluded(), data.deferred(), data.droppedNegatives());
        TrainingReport report = TrainingReport.of(settings.modelName(), version, parent.ref().version(), trigger, started,
                clock.instant(), phases, pairCounts, settings.recipe(), result, history);
        ModelDirectory written = ModelWriter.write(local, parent, version, result.chosen().projections(), report,
                settings.dataDir().resolve("staging"));
        String artifactUri = upload(written);
        phases.put("write", (System.nanoTime() - t2) / 1_000_000);
        String decision = result.decision().promote() ? ModelStatus.PROMOTED.name() : ModelStatus.REJECTED.name();
        List<RoundLedger.Entry.Ingredient> ingredients = new ArrayList<>();
        for (var entry : result.chosen().recipe()) {
            Map<String, Double> m = new TreeMap<>();
            TrainingReport.put(m, "after", entry.metrics());
            result.ingredients().stream().filter(i -> i.runId().equals(entry.runId())).findFirst()
                    .ifPresent(i -> m.put("loss", i.run().meanLoss(settings.recipe().epochs() - 1)));
            ingredients.add(new RoundLedger.Entry.Ingredient(entry.runId(), entry.weight(), m));
        }
        RoundLedger.Entry entry = new RoundLedger.Entry(settings.modelName(), version, parent.ref().version(),
                artifactUri, ModelWriter.artifactSha256(written), written.manifest().dimension(),
                decision, TrainingReport.metrics(result), ingredients, data.trainPairs(),
                clock.instant().toEpochMilli(), highWater, java.util.Set.of());
        ledger.save(entry);

        phase("PUBLISHING", version, trigger, started, 0.96, "publishing " + settings.modelName() + "/" + version);
        for (ModelStatus status : entry.statuses()) {
            publish(entry.toEvent(status));
            entry = entry.withPublished(status);
            ledger.save(entry);
        }
        if (result.decision().promote()) {
            load(written);
            roundsPromoted.increment();
        } else {
            roundsRejected.increment();
        }
        trainedUpTo = highWater;
        Instant finished = clock.instant();
        lastRoundEnd = finished;
        long total = System.nanoTime() - t0;
        roundTimer.record(total, TimeUnit.NANOSECONDS);
        phases.put("total", total / 1_000_000);
        lastRound.set(new TrainingStatus.LastRound(version, decision, result.decision().reason(), started, finished,
                phases, data.trainPairs(), data.validationPairs(), entry.metrics()));
        LOG.info("round {}/{} {}: {}; soup {} (phases {} ms)", settings.modelName(), version, decision,
                result.decision().reason(), result.chosen().method(), phases);
    }

    /**
     * Puts a sealed version where the services read versions from and returns its {@code artifactUri}. An object
     * store that is away is transient: keep trying, as for the broker (the version is safe on the local disk).
     */
    private String upload(ModelDirectory written) {
        return Retries.untilDone("model-upload",
                t -> t instanceof ModelStoreException m && m.isRetriable() ? new Fault.Transient("MODEL_STORE", t) : null,
                (fault, wait) -> LOG.warn("uploading {} to {} failed ({}); retrying in {} ms", written.ref(),
                        store.describe(), fault.cause().getMessage(), wait.toMillis()),
                () -> ModelStores.publish(store, written).toString());
    }

    private void publish(ModelVersion v) {
        // The broker being away is transient: keep trying (the round's result is safe in the ledger meanwhile).
        Retries.untilDone("model-publish", t -> t instanceof Exception && !(t instanceof InterruptedException) ? new Fault.Transient("KAFKA", t) : null,
                (fault, wait) -> LOG.warn("publishing {}/{} {} failed ({}); retrying in {} ms", v.getModelName(),
                        v.getVersion(), v.getStatus(), fault.cause().getMessage(), wait.toMillis()),
                () -> {
                    sink.publish(v);
                    return null;
                });
    }

    public TrainingStatus status() {
        ModelDirectory l = live;
        return new TrainingStatus(
                new TrainingStatus.Model(settings.modelName(), l == null ? 0 : l.ref().version(),
                        l == null ? null : store.locationOf(l.ref()).map(java.net.URI::toString)
                                .orElseGet(() -> ModelWriter.artifactUri(l))),
                new TrainingStatus.Pairs(pairs.size(), newPairs(), received.get(), deadLettered.get()),
                round.get(), lastRound.get());
    }

    /** The live model directory (null before {@link #start}). */
    public ModelDirectory live() {
        return live;
    }

    public boolean ready() {
        return live != null;
    }

    public boolean roundRunning() {
        return running.get();
    }

    /** Waits for the round in progress, if any (shutdown and tests). */
    public void awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (running.get() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        roundThread.shutdownNow();
        try {
            roundThread.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (runtime != null) {
            runtime.close();
        }
        if (cache != null) {
            cache.close();
        }
    }
}
