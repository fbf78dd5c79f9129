package io.tessera.rollout;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.model.ModelStoreException;
import io.tessera.events.Modality;
import io.tessera.rollout.internal.Backfill;
import io.tessera.vectorstore.CollectionNaming;
import io.tessera.vectorstore.ModelCollection;
import io.tessera.vectorstore.ModelSpec;
import io.tessera.vectorstore.VectorStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blue/green roll-out of promoted model versions in one indexer process (see the module's README).
 *
 * <pre>
 *  IDLE(live L) ─ promoted V &gt; L ─► LOADING ─► BACKFILLING ─ caught up, marker ─► AWAITING_FLIP
 *     ▲                               (dual-write L and V)                             │ every modality's marker:
 *     │                                                                               ▼ pointAlias(V) (idempotent)
 *     │                                                   DRAINING: still dual-writing V and L for the drain delay
 *     │                                                                               │ (readers that cached the alias)
 *     └── grace period over: drop L ◄── RETIRING: V written alone, L kept read-only ◄──┘
 * </pre>
 *
 * <p>What it costs: from the promotion until the drain ends (backfill + a drain of at most a minute) each arrival is
 * embedded and written twice; after the drain once, with V, although L is still there for the grace period.
 *
 * <p>The state is derived, never stored: the live version is the one behind the alias in Milvus, the wanted version
 * the newest PROMOTED one in models.published (or the configured one, if newer), and which modalities have caught
 * up comes from the markers in models.rollout. A process restarted in the middle therefore resumes: it loads the
 * target again, dual-writes again and, unless its own marker is already there, backfills again (idempotent upserts).
 *
 * <p>All state changes run on one thread; the pipeline reads {@link #runtimes()} (a volatile snapshot) per record.
 * Events come from the Kafka readers ({@link #promoted}, {@link #marker}, {@link #feedsCaughtUp}) or from tests.
 */
public final class Rollout implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Rollout.class);

    private final RolloutConfig config;
    private final VectorStore store;
    private final CollectionNaming naming;
    private final String alias;
    private final EmbeddingRuntime live;
    private final int configuredVersion;
    private final ModelLoader loader;
    private final MarkerLog markerLog;
    private final CatalogSource catalog;
    private final BackfillIndexer indexer;
    private final Clock clock;
    private final ScheduledExecutorService actor;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();

    // ---- actor-confined state
    private PromotedVersion promoted;
    private final Map<Integer, Set<Modality>> completed = new HashMap<>();
    private final Map<String, Instant> pendingDrops = new LinkedHashMap<>();
    private final List<Deferred> deferredCloses = new ArrayList<>();
    private final Map<Integer, Instant> failedUntil = new HashMap<>();
    private Target target;
    private EmbeddingRuntime current;
    private boolean feedsReady;
    /** Ready was given while a wanted target could not load: the backfill of the next target must run. */
    private boolean consumedWithoutTarget;
    private boolean readyGiven;
    private Integer liveVersion;
    private String lastError;
    private Instant nextRetry = Instant.MIN;
    private boolean closed;

    // ---- published snapshots
    private volatile List<EmbeddingRuntime> runtimes;
    private volatile RolloutStatus status;

    private static final class Target {
        final PromotedVersion version;
        final ModelDirectory dir;
        final EmbeddingRuntime runtime;
        final String collection;
        RolloutPhase phase;
        Backfill backfill;
        RolloutStatus.Backfill lastProgress;
        boolean markerPublished;
        /** Until then the old collection is still written (DRAINING). */
        Instant drainUntil;
        /** Until then the old collection is kept (RETIRING); it is dropped at its pending drop. */
        Instant retireAt;
        Integer retiringFrom;

        Target(PromotedVersion version, ModelDirectory dir, EmbeddingRuntime runtime, String collection) {
            this.version = version;
            this.dir = dir;
            this.runtime = runtime;
            this.collection = collection;
        }
    }

    private record Deferred(EmbeddingRuntime runtime, Instant at) {
    }

    /**
     * @param live    the runtime the indexer started with (its version is the configured one); the roll-out swaps it
     *                to the version behind the alias, it stays owned by the caller
     * @param catalog media.catalog, for backfills
     * @param indexer re-indexes one catalog item with a given runtime (the indexer's decode/embed/write)
     */
    public Rollout(RolloutConfig config, VectorStore store, EmbeddingRuntime live, ModelLoader loader,
                   MarkerLog markerLog, CatalogSource catalog, BackfillIndexer indexer, MeterRegistry meters,
                   Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.store = Objects.requireNonNull(store, "store");
        this.live = Objects.requireNonNull(live, "live");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.markerLog = Objects.requireNonNull(markerLog, "markerLog");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.indexer = Objects.requireNonNull(indexer, "indexer");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (!live.model().name().equals(config.modelName())) {
            throw new IllegalArgumentException("the runtime serves " + live.model() + " but the roll-out follows "
                    + config.modelName());
        }
        this.naming = store.naming();
        this.alias = naming.alias(config.modelName());
        this.configuredVersion = live.model().version();
        this.current = live;
        this.runtimes = List.of(live);
        this.actor = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("rollout-" + config.modelName() + "-" + config.modality()).unstarted(r));
        this.status = snapshot();
        registerMetrics(Objects.requireNonNull(meters, "meters"));
    }

    /** Starts the periodic reconciliation (alias flips by other processes, retries, drops). */
    public Rollout start() {
        long tick = config.tickInterval().toMillis();
        actor.scheduleWithFixedDelay(this::step, tick, tick, TimeUnit.MILLISECONDS);
        return this;
    }

    // ------------------------------------------------------------------------------------------------ events

    /** The newest PROMOTED version of a model (from models.published). Older or other models are ignored. */
    public void promoted(PromotedVersion version) {
        if (!version.modelName().equals(config.modelName())) {
            return;
        }
        run(() -> {
            if (promoted == null || version.version() > promoted.version()) {
                promoted = version;
                LOG.info("{} promoted", version);
            }
        });
    }

    /** A completion marker (from models.rollout, whoever recorded it). */
    public void marker(RolloutMarker marker) {
        if (!marker.modelName().equals(config.modelName())) {
            return;
        }
        run(() -> completed.computeIfAbsent(marker.version(), v -> EnumSet.noneOf(Modality.class))
                .add(marker.modality()));
    }

    /** Both topics have been read up to the ends they had at start: the state can be derived now. */
    public void feedsCaughtUp() {
        run(() -> feedsReady = true);
    }

    private void run(Runnable change) {
        try {
            actor.execute(() -> {
                change.run();
                step();
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Closed.
        }
    }

    // ------------------------------------------------------------------------------------------------ reading

    /**
     * The runtimes to index each item with, the live version's first: one normally, two while a roll-out
     * dual-writes. Called by the pipeline per record.
     */
    public List<EmbeddingRuntime> runtimes() {
        return runtimes;
    }

    public RolloutStatus status() {
        RolloutStatus s = status;
        Target t = target;
        if (t != null && t.backfill != null && s.backfill() != null && !s.backfill().done()) {
            // Progress moves between steps: read it live.
            return new RolloutStatus(s.modelName(), s.modality(), s.phase(), s.liveVersion(), s.liveCollection(),
                    s.targetVersion(), s.targetCollection(), s.writingTo(), s.requiredModalities(),
                    s.completedModalities(), t.backfill.progress(), s.pendingDrops(), s.lastError(), s.updatedAt());
        }
        return s;
    }

    /**
     * Completes once the state has been derived at start (feeds read, Milvus asked, the right runtimes loaded):
     * the indexer must not consume before, or it could write only the old version after a restart mid-roll-out.
     */
    public CompletableFuture<Void> ready() {
        return ready;
    }

    // ------------------------------------------------------------------------------------------------ the machine

    private void step() {
        if (closed || !feedsReady) {
            publish();
            return;
        }
        Instant now = clock.instant();
        if (now.isBefore(nextRetry)) {
            publish();
            return;
        }
        try {
            reconcile(now);
            lastError = null;
            markReady();
        } catch (RuntimeException e) {
            String message = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!message.equals(lastError)) {
                LOG.warn("roll-out of {} ({}): {}; retrying in {}", config.modelName(), config.modality(), message,
                        config.retryBackoff(), e instanceof io.tessera.vectorstore.VectorStoreException ? null : e);
            }
            lastError = message;
            nextRetry = now.plus(config.retryBackoff());
        } finally {
            publish();
        }
    }

    private void reconcile(Instant now) {
        Optional<ModelCollection> aliased = store.modelOf(alias);
        int aliasVersion = aliased.map(c -> c.model().version()).orElse(current.model().version());
        liveVersion = aliasVersion;

        // Follow the alias: it moved to our target (we or another process flipped it) or, after a restart, to a
        // version this process does not serve yet.
        if (target != null && target.version.version() == aliasVersion && !flippedAlready(target)) {
            flipped(target, now);
        } else if (target == null && current.model().version() != aliasVersion) {
            serveLive(aliasVersion);
        }

        int wanted = Math.max(configuredVersion, promoted == null ? 0 : promoted.version());
        // The drain is never cut short, not even by a newer promotion: a reader that cached the alias before the
        // flip relies on the old collection getting every arrival until it ends (at most a minute).
        if (target != null && target.phase == RolloutPhase.DRAINING && !now.isBefore(target.drainUntil)) {
            drained(target, now);
        }
        if (target != null && target.phase == RolloutPhase.RETIRING) {
            if (wanted > aliasVersion || !now.isBefore(target.retireAt)) {
                retire(target);
            }
        } else if (target != null && target.phase != RolloutPhase.DRAINING
                && (target.version.version() != wanted || wanted <= aliasVersion)) {
            abort(target, now, "version " + wanted + " is wanted now");
        }
        if (target == null && wanted > aliasVersion && !failedUntil.getOrDefault(wanted, Instant.MIN).isAfter(now)) {
            try {
                begin(versionOf(wanted), now);
            } catch (RuntimeException e) {
                // The live version is followed, which is all consuming needs: records indexed before the target
                // loads are in the catalog, so the backfill (which then must not be skipped) covers them.
                if (!readyGiven) {
                    consumedWithoutTarget = true;
                    markReady();
                }
                throw e;
            }
        }
        if (target != null && !flippedAlready(target)) {
            advance(target, now);
        }
        scheduleDrops(now);
        runDue(now);
    }

    private void markReady() {
        if (!readyGiven) {
            readyGiven = true;
            publish();
            ready.complete(null);
            LOG.info("roll-out of {} ({}) ready: live version {}, writing {}", config.modelName(), config.modality(),
                    liveVersion, collectionsOf(runtimes));
        }
    }

    private PromotedVersion versionOf(int version) {
        return promoted != null && promoted.version() == version ? promoted
                : PromotedVersion.inStore(config.modelName(), version);
    }

    /** After a restart behind a flip (or a flip by another process before we loaded the target): serve the alias. */
    private void serveLive(int version) {
        ModelDirectory dir = loader.open(versionOf(version));
        var was = current.model();
        current.swap(dir);
        LOG.info("now serving {} (was {}): the alias '{}' points at its collection", current.model(), was, alias);
        runtimes = List.of(current);
    }

    private void begin(PromotedVersion version, Instant now) {
        String collection = naming.collection(version.modelName(), version.version());
        LOG.info("rolling out {}: loading it, then writing new arrivals to {} and {} and backfilling {} items of {}",
                version, naming.collection(config.modelName(), liveVersion), collection, config.modality(),
                "media.catalog");
        publishPhase(RolloutPhase.LOADING, version);
        ModelDirectory dir;
        EmbeddingRuntime runtime;
        try {
            dir = loader.open(version);
            runtime = loader.start(dir);
        } catch (ModelLoader.ArtifactMismatchException e) {
            failedUntil.put(version.version(), now.plus(config.retryBackoff().multipliedBy(30)));
            throw e;
        } catch (ModelStoreException e) {
            if (!e.isRetriable()) {
                failedUntil.put(version.version(), now.plus(config.retryBackoff().multipliedBy(30)));
            }
            throw e;
        }
        Target t = new Target(version, dir, runtime, collection);
        try {
            boolean existed = store.modelOf(collection).filter(c -> c.collection().equals(collection)).isPresent();
            store.ensureCollection(new ModelSpec(version.modelName(), version.version(),
                    dir.manifest().dimension()));
            target = t;
            consumedWithoutTarget = false;
            // Dual-write first, then read the catalog: whatever the catalog holds after this point is either
            // written by the pipeline into both collections or read by the backfill (or both).
            runtimes = List.of(current, runtime);
            boolean mine = completed.getOrDefault(version.version(), Set.of()).contains(config.modality());
            if (mine && existed && !consumedWithoutTarget) {
                t.phase = RolloutPhase.AWAITING_FLIP;
                t.markerPublished = true;
                LOG.info("{} of {} was already backfilled (marker present): dual-writing until the flip",
                        config.modality(), version);
            } else {
                startBackfill(t);
            }
        } catch (RuntimeException e) {
            if (target != t) {
                deferClose(runtime, now);
            }
            throw e;
        }
    }

    private void startBackfill(Target t) {
        t.phase = RolloutPhase.BACKFILLING;
        t.backfill = new Backfill(catalog, indexer, store, config.modality(), t.runtime, t.collection,
                config.backfillConcurrency(), config.retryBackoff(), clock).start();
        t.backfill.done().whenComplete((r, e) -> run(() -> { }));
    }

    private void advance(Target t, Instant now) {
        if (t.phase == RolloutPhase.BACKFILLING) {
            CompletableFuture<RolloutStatus.Backfill> done = t.backfill.done();
            if (!done.isDone()) {
                return;
            }
            if (done.isCompletedExceptionally()) {
                LOG.warn("backfill of {} into {} ended early: restarting it", config.modality(), t.collection);
                startBackfill(t);
                return;
            }
            t.lastProgress = done.join();
            t.phase = RolloutPhase.AWAITING_FLIP;
        }
        if (!t.markerPublished) {
            RolloutStatus.Backfill p = t.lastProgress;
            RolloutMarker marker = new RolloutMarker(config.modelName(), t.version.version(), config.modality(), now,
                    config.instanceId(), p == null ? 0 : p.scanned(), p == null ? 0 : p.indexed());
            markerLog.publish(marker);
            t.markerPublished = true;
            completed.computeIfAbsent(t.version.version(), v -> EnumSet.noneOf(Modality.class)).add(config.modality());
            LOG.info("{} of {} caught up: recorded {}", config.modality(), t.version, marker.key());
        }
        Set<Modality> done = completed.getOrDefault(t.version.version(), Set.of());
        if (done.containsAll(config.modalities())) {
            // Any process that sees every marker flips; pointAlias to the same collection is idempotent.
            store.pointAlias(alias, t.collection);
            LOG.info("every modality of {} caught up ({}): alias '{}' now points at {}", t.version,
                    config.modalities(), alias, t.collection);
            liveVersion = t.version.version();
            flipped(t, now);
        }
    }

    private static boolean flippedAlready(Target t) {
        return t.phase == RolloutPhase.DRAINING || t.phase == RolloutPhase.RETIRING;
    }

    /**
     * The alias points at the target now (we flipped it, or saw it flipped). Keep writing the old collection for the
     * drain delay only, so that readers still on it (search-api caches the alias for at most
     * {@link RolloutConfig#READER_ALIAS_CACHE_LIMIT}, less than any deployed drain) miss nothing; the new version
     * comes first. The old collection's drop is scheduled now, for the end of the grace period.
     */
    private void flipped(Target t, Instant now) {
        if (t.backfill != null && !t.backfill.done().isDone()) {
            t.backfill.close();
        }
        t.retiringFrom = current.model().version();
        t.phase = RolloutPhase.DRAINING;
        t.drainUntil = now.plus(config.drainDelay());
        t.retireAt = now.plus(config.gracePeriod());
        runtimes = List.of(t.runtime, current);
        String old = naming.collection(config.modelName(), t.retiringFrom);
        if (config.dropOldCollections()) {
            // Records that picked both runtimes just before the drain ended may still be writing the old collection:
            // never drop it within a drain delay of that, whatever the grace period.
            Instant drainedAndFlushed = t.drainUntil.plus(config.drainDelay());
            pendingDrops.put(old, t.retireAt.isAfter(drainedAndFlushed) ? t.retireAt : drainedAndFlushed);
        }
        LOG.info("{} is live; still writing {} too until {} (drain), keeping it until {}", t.version, old,
                t.drainUntil, pendingDrops.getOrDefault(old, t.retireAt));
    }

    /**
     * End of the drain: every reader has looked the alias up again since the flip, so arrivals are embedded and
     * written with the new version only. The live runtime becomes the new version (the target's runtime serves
     * meanwhile, so no record embeds twice while it loads); the old collection stays, read-only, until its drop.
     */
    private void drained(Target t, Instant now) {
        runtimes = List.of(t.runtime);
        current.swap(t.dir);
        runtimes = List.of(current);
        // Records that took the target's runtime from runtimes() a moment ago may still call it.
        deferClose(t.runtime, now);
        t.phase = RolloutPhase.RETIRING;
        LOG.info("{} drained: writing {} only; {} is read-only until {}", t.version, collectionsOf(runtimes),
                naming.collection(config.modelName(), t.retiringFrom), t.retireAt);
    }

    /**
     * End of the grace period (or a newer version is wanted): the roll-out is over. The old collection's drop was
     * scheduled at the flip and stays where it is.
     */
    private void retire(Target t) {
        target = null;
        String old = naming.collection(config.modelName(), t.retiringFrom);
        LOG.info("roll-out of {} done; {} will be dropped at {}", t.version, old, pendingDrops.get(old));
    }

    private void abort(Target t, Instant now, String why) {
        LOG.info("abandoning the roll-out of {}: {}", t.version, why);
        if (t.backfill != null) {
            t.backfill.close();
        }
        runtimes = List.of(current);
        target = null;
        deferClose(t.runtime, now);
    }

    private void deferClose(EmbeddingRuntime runtime, Instant now) {
        // Records that took this runtime from runtimes() a moment ago may still call it.
        deferredCloses.add(new Deferred(runtime, now.plus(config.drainDelay())));
    }

    /**
     * Superseded collections of the model: older than the live one, or between the live one and the target (an
     * abandoned roll-out). The one being drained and retired already has its drop, scheduled by {@link #flipped}.
     */
    private void scheduleDrops(Instant now) {
        if (!config.dropOldCollections()) {
            return;
        }
        int live = liveVersion;
        for (ModelCollection c : store.listCollections(config.modelName())) {
            int v = c.model().version();
            boolean superseded = v < live
                    || target != null && v > live && v < target.version.version();
            if (superseded) {
                pendingDrops.putIfAbsent(c.collection(), now.plus(config.gracePeriod()));
            }
        }
    }

    private void runDue(Instant now) {
        var it = pendingDrops.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (now.isBefore(e.getValue())) {
                continue;
            }
            String collection = e.getKey();
            Optional<String> behindAlias = store.resolveAlias(alias);
            if (behindAlias.isPresent() && behindAlias.get().equals(collection)) {
                LOG.warn("not dropping {}: the alias '{}' points at it", collection, alias);
            } else if (target != null && target.collection.equals(collection)) {
                LOG.warn("not dropping {}: it is being rolled out", collection);
            } else {
                store.dropCollection(collection);
                LOG.info("dropped superseded collection {}", collection);
            }
            it.remove();
        }
        var closes = deferredCloses.iterator();
        while (closes.hasNext()) {
            Deferred d = closes.next();
            if (!now.isBefore(d.at())) {
                closes.remove();
                d.runtime().close();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ status

    private void publishPhase(RolloutPhase phase, PromotedVersion version) {
        status = snapshot(phase, version);
    }

    private void publish() {
        status = snapshot();
    }

    private RolloutStatus snapshot() {
        RolloutPhase phase;
        if (!readyGiven) {
            phase = RolloutPhase.STARTING;
        } else if (target != null) {
            phase = target.phase;
        } else {
            int wanted = Math.max(configuredVersion, promoted == null ? 0 : promoted.version());
            phase = liveVersion != null && wanted > liveVersion && failedUntil.containsKey(wanted) ? RolloutPhase.FAILED
                    : RolloutPhase.IDLE;
        }
        return snapshot(phase, target == null ? null : target.version);
    }

    private RolloutStatus snapshot(RolloutPhase phase, PromotedVersion version) {
        Integer tv = version == null ? null : version.version();
        Set<Modality> done = tv == null ? Set.of() : Set.copyOf(completed.getOrDefault(tv, Set.of()));
        RolloutStatus.Backfill progress = null;
        if (target != null && target.backfill != null) {
            progress = target.backfill.progress();
        } else if (target != null) {
            progress = target.lastProgress;
        }
        List<RolloutStatus.PendingDrop> drops = pendingDrops.entrySet().stream()
                .map(e -> new RolloutStatus.PendingDrop(e.getKey(), e.getValue())).toList();
        String error = lastError;
        if (error == null && target != null && target.backfill != null && !target.backfill.done().isDone()) {
            error = target.backfill.lastError();
        }
        return new RolloutStatus(config.modelName(), config.modality(), phase, liveVersion,
                liveVersion == null ? null : naming.collection(config.modelName(), liveVersion), tv,
                tv == null ? null : naming.collection(config.modelName(), tv), collectionsOf(runtimes),
                config.modalities(), done, progress, drops, error, clock.instant());
    }

    private List<String> collectionsOf(List<EmbeddingRuntime> rts) {
        return rts.stream().map(r -> naming.collection(r.model().name(), r.model().version())).toList();
    }

    private void registerMetrics(MeterRegistry meters) {
        Tags tags = Tags.of("model", config.modelName(), "modality", config.modality().name());
        gauge(meters, "tessera.rollout.live.version", "the model version behind the alias", tags,
                s -> s.liveVersion() == null ? Double.NaN : s.liveVersion());
        gauge(meters, "tessera.rollout.target.version", "the version being rolled out (NaN when none)", tags,
                s -> s.targetVersion() == null ? Double.NaN : s.targetVersion());
        gauge(meters, "tessera.rollout.phase", "RolloutPhase ordinal", tags, s -> s.phase().ordinal());
        gauge(meters, "tessera.rollout.writing.versions", "model versions every arrival is embedded and written for:"
                + " 2 from the promotion until the drain after the flip ends, else 1", tags, s -> s.writingTo().size());
        gauge(meters, "tessera.rollout.backfill.scanned", "catalog records read by the backfill", tags,
                s -> s.backfill() == null ? 0 : s.backfill().scanned());
        gauge(meters, "tessera.rollout.backfill.total", "catalog records the backfill reads", tags,
                s -> s.backfill() == null ? 0 : s.backfill().total());
        gauge(meters, "tessera.rollout.backfill.indexed", "items re-indexed by the backfill", tags,
                s -> s.backfill() == null ? 0 : s.backfill().indexed());
        gauge(meters, "tessera.rollout.backfill.eta.seconds", "estimated seconds until the backfill catches up", tags,
                s -> s.backfill() == null || s.backfill().etaSeconds() == null ? Double.NaN : s.backfill().etaSeconds());
    }

    private void gauge(MeterRegistry meters, String name, String help, Tags tags, ToDoubleFunction<RolloutStatus> f) {
        Gauge.builder(name, this, r -> f.applyAsDouble(r.status())).description(help).tags(tags).register(meters);
    }

    /** Stops the machine and any backfill; closes the runtimes it loaded (not the caller's live runtime). */
    @Override
    public void close() {
        try {
            actor.submit(() -> {
                closed = true;
                if (target != null) {
                    if (target.backfill != null) {
                        target.backfill.close();
                    }
                    // After the drain the target's runtime is already among the deferred closes.
                    if (target.runtime != current && target.phase != RolloutPhase.RETIRING) {
                        deferredCloses.add(new Deferred(target.runtime, Instant.MIN));
                    }
                }
                deferredCloses.forEach(d -> d.runtime().close());
                deferredCloses.clear();
            }).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("closing the roll-out: {}", e.toString());
        }
        actor.shutdownNow();
        ready.completeExceptionally(new IllegalStateException("roll-out closed"));
    }

    /** For tests and logs. */
    Duration tick() {
        return config.tickInterval();
    }
}
