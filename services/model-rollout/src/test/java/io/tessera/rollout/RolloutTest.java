package io.tessera.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tessera.catalog.client.CatalogCursor;
import io.tessera.catalog.client.CatalogEntry;
import io.tessera.catalog.client.CatalogPosition;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.events.InlineText;
import io.tessera.events.MediaArrived;
import io.tessera.events.Modality;
import io.tessera.vectorstore.MediaItem;
import io.tessera.vectorstore.ModelSpec;
import io.tessera.vectorstore.VectorRow;
import io.tessera.vectorstore.testing.InMemoryVectorStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The state machine with Kafka and Milvus replaced by in-memory fakes, and real (tiny) model runtimes. */
class RolloutTest {

    private static final String ALIAS = "tessera_tiny";
    private static final String V1 = "tessera_tiny_v1";
    private static final String V2 = "tessera_tiny_v2";
    /** tessera-tiny's vector dimension: collections made here must match it, as Milvus refuses another. */
    private static final int DIMENSION = 256;

    private final InMemoryVectorStore store = new InMemoryVectorStore();
    private final FakeCatalog catalog = new FakeCatalog();
    private final List<RolloutMarker> markers = new CopyOnWriteArrayList<>();
    private final List<Rollout> rollouts = new CopyOnWriteArrayList<>();
    private final List<EmbeddingRuntime> runtimes = new ArrayList<>();
    private final TestClock clock = new TestClock();
    private final Set<String> indexed = Collections.synchronizedSet(new java.util.LinkedHashSet<>());
    private final AtomicInteger backfillCalls = new AtomicInteger();

    @AfterEach
    void close() {
        rollouts.forEach(Rollout::close);
        runtimes.forEach(EmbeddingRuntime::close);
    }

    @Test
    void promotedVersionIsBackfilledFlippedOnceEveryModalityCaughtUpAndTheOldCollectionDropped() throws Exception {
        Rollout image = rollout(Modality.IMAGE, Set.of(Modality.IMAGE, Modality.TEXT));
        Rollout text = rollout(Modality.TEXT, Set.of(Modality.IMAGE, Modality.TEXT));
        for (Rollout r : rollouts) {
            r.feedsCaughtUp();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> image.ready().isDone() && text.ready().isDone());
        for (int i = 0; i < 40; i++) {
            index(i % 2 == 0 ? image : text, "item-" + i, i % 2 == 0 ? Modality.IMAGE : Modality.TEXT);
        }
        deleteLive(image, "item-0");
        assertThat(store.resolveAlias(ALIAS)).contains(V1);

        // A checker that searches through the alias all along: no indexed item may ever be missing.
        List<String> misses = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread checker = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                for (String id : List.copyOf(indexed)) {
                    if (!store.searchable(ALIAS, id)) {
                        misses.add(id + " behind " + store.resolveAlias(ALIAS));
                    }
                }
            }
        });
        // Arrivals keep coming while the roll-out runs.
        AtomicInteger n = new AtomicInteger(100);
        Thread arrivals = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                int i = n.getAndIncrement();
                index(i % 2 == 0 ? image : text, "item-" + i, i % 2 == 0 ? Modality.IMAGE : Modality.TEXT);
            }
        });

        PromotedVersion v2 = PromotedVersion.inStore(TestModels.MODEL, 2);
        image.promoted(v2);
        text.promoted(v2);

        await().atMost(Duration.ofSeconds(30)).until(() -> store.resolveAlias(ALIAS).orElseThrow().equals(V2));
        await().atMost(Duration.ofSeconds(10)).until(() -> image.status().phase() == RolloutPhase.DRAINING
                && text.status().phase() == RolloutPhase.DRAINING);
        assertThat(markers).extracting(RolloutMarker::key)
                .containsExactlyInAnyOrder("tessera-tiny@2#IMAGE", "tessera-tiny@2#TEXT");
        assertThat(image.runtimes()).extracting(r -> r.model().version()).containsExactly(2, 1);
        assertThat(store.exists(V1)).isTrue();

        // After the drain delay (30 s by default) arrivals are embedded and written once, with v2 only; v1 stays
        // for the grace period, read-only.
        clock.advance(Duration.ofSeconds(31));
        await().atMost(Duration.ofSeconds(10)).until(() -> image.status().phase() == RolloutPhase.RETIRING
                && text.status().phase() == RolloutPhase.RETIRING);
        assertThat(image.runtimes()).extracting(r -> r.model().version()).containsExactly(2);
        assertThat(text.status().writingTo()).containsExactly(V2);
        awaitArrivals(n, 3);
        int v1Writes = writes(1);
        awaitArrivals(n, 20);
        assertThat(writes(1)).as("v1 written after the drain").isEqualTo(v1Writes);
        assertThat(store.exists(V1)).as("kept, read-only, for the grace period").isTrue();
        assertThat(image.status().pendingDrops()).extracting(RolloutStatus.PendingDrop::collection).contains(V1);

        clock.advance(Duration.ofMinutes(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> image.status().phase() == RolloutPhase.IDLE
                && text.status().phase() == RolloutPhase.IDLE);
        await().atMost(Duration.ofSeconds(10)).until(() -> !store.exists(V1));
        assertThat(image.runtimes()).extracting(r -> r.model().version()).containsExactly(2);

        stop.set(true);
        arrivals.join();
        checker.join();
        assertThat(misses).isEmpty();
        assertThat(store.holds(V2, "item-0")).as("deleted during the roll-out").isFalse();
        for (String id : indexed) {
            assertThat(store.holds(V2, id)).as(id).isTrue();
        }
        assertThat(image.status().liveVersion()).isEqualTo(2);
        assertThat(store.resolveAlias(ALIAS)).contains(V2);
    }

    @Test
    void aliasWaitsForEveryConfiguredModality() {
        Rollout image = rollout(Modality.IMAGE, Set.of(Modality.IMAGE, Modality.TEXT));
        image.feedsCaughtUp();
        index(image, "a", Modality.IMAGE);
        image.promoted(PromotedVersion.inStore(TestModels.MODEL, 2));

        await().atMost(Duration.ofSeconds(20)).until(() -> image.status().phase() == RolloutPhase.AWAITING_FLIP);
        assertThat(image.status().backfill().indexed()).isEqualTo(1);
        assertThat(image.runtimes()).extracting(r -> r.model().version()).containsExactly(1, 2);
        assertThat(store.resolveAlias(ALIAS)).contains(V1);

        image.marker(new RolloutMarker(TestModels.MODEL, 2, Modality.TEXT, Instant.now(), "text-elsewhere", 1, 0));
        await().atMost(Duration.ofSeconds(10)).until(() -> store.resolveAlias(ALIAS).orElseThrow().equals(V2));
    }

    @Test
    void restartAfterTheFlipServesTheAliasedVersionBeforeConsuming() {
        store.ensureCollection(new ModelSpec(TestModels.MODEL, 1, DIMENSION));
        store.ensureCollection(new ModelSpec(TestModels.MODEL, 2, DIMENSION));
        store.pointAlias(ALIAS, V2);
        Rollout image = rollout(Modality.IMAGE, Set.of(Modality.IMAGE));

        assertThat(image.ready()).isNotDone();
        image.feedsCaughtUp();
        await().atMost(Duration.ofSeconds(10)).until(() -> image.ready().isDone());
        assertThat(image.runtimes()).extracting(r -> r.model().version()).containsExactly(2);
        assertThat(image.status().pendingDrops()).extracting(RolloutStatus.PendingDrop::collection)
                .containsExactly(V1);
        clock.advance(Duration.ofMinutes(11));
        await().atMost(Duration.ofSeconds(10)).until(() -> !store.exists(V1));
        assertThat(store.exists(V2)).isTrue();
    }

    @Test
    void restartMidRolloutWithItsMarkerDualWritesWithoutBackfillingAgain() {
        index(null, "a", Modality.IMAGE);
        store.ensureCollection(new ModelSpec(TestModels.MODEL, 2, DIMENSION));
        Rollout image = rollout(Modality.IMAGE, Set.of(Modality.IMAGE, Modality.TEXT));
        image.marker(new RolloutMarker(TestModels.MODEL, 2, Modality.IMAGE, Instant.now(), "before-restart", 1, 1));
        image.promoted(PromotedVersion.inStore(TestModels.MODEL, 2));
        image.feedsCaughtUp();

        await().atMost(Duration.ofSeconds(20)).until(() -> image.status().phase() == RolloutPhase.AWAITING_FLIP);
        assertThat(image.ready()).isDone();
        assertThat(catalog.opened.get()).isZero();
        assertThat(image.runtimes()).extracting(r -> r.model().version()).containsExactly(1, 2);
    }

    @Test
    void artifactWithAnotherChecksumIsNotRolledOutAndLiveKeepsServing() {
        index(null, "a", Modality.IMAGE);
        Rollout image = rollout(Modality.IMAGE, Set.of(Modality.IMAGE));
        image.feedsCaughtUp();
        image.promoted(new PromotedVersion(TestModels.MODEL, 2, null, "00".repeat(32), 0));

        await().atMost(Duration.ofSeconds(20)).until(() -> image.status().phase() == RolloutPhase.FAILED);
        assertThat(image.ready()).isDone();
        assertThat(image.runtimes()).extracting(r -> r.model().version()).containsExactly(1);
        assertThat(store.resolveAlias(ALIAS)).contains(V1);
        assertThat(store.exists(V2)).isFalse();
    }

    @Test
    void newerPromotionDuringARolloutAbandonsItAndRollsOutTheNewest() {
        index(null, "a", Modality.IMAGE);
        catalog.slow.set(true);
        Rollout image = rollout(Modality.IMAGE, Set.of(Modality.IMAGE));
        image.feedsCaughtUp();
        image.promoted(PromotedVersion.inStore(TestModels.MODEL, 2));
        await().atMost(Duration.ofSeconds(20)).until(() -> image.status().phase() == RolloutPhase.BACKFILLING);
        image.promoted(PromotedVersion.inStore(TestModels.MODEL, 3));
        catalog.slow.set(false);

        await().atMost(Duration.ofSeconds(30)).until(() -> store.resolveAlias(ALIAS).orElseThrow()
                .equals("tessera_tiny_v3"));
        assertThat(store.holds("tessera_tiny_v3", "a")).isTrue();
        clock.advance(Duration.ofMinutes(11));
        await().atMost(Duration.ofSeconds(10)).until(() -> image.status().phase() == RolloutPhase.IDLE);
        clock.advance(Duration.ofSeconds(31));
        await().atMost(Duration.ofSeconds(10)).until(() -> !store.exists(V2) && !store.exists(V1));
    }

    @Test
    void theDrainIsNotCutShortByANewerPromotion() {
        index(null, "a", Modality.IMAGE);
        Rollout image = rollout(Modality.IMAGE, Set.of(Modality.IMAGE));
        image.feedsCaughtUp();
        image.promoted(PromotedVersion.inStore(TestModels.MODEL, 2));
        await().atMost(Duration.ofSeconds(20)).until(() -> image.status().phase() == RolloutPhase.DRAINING);

        // A reader that cached the alias before the flip still reads v1: it must keep getting arrivals until the
        // drain ends, even though v3 is wanted now.
        image.promoted(PromotedVersion.inStore(TestModels.MODEL, 3));
        clock.advance(Duration.ofSeconds(29));
        index(image, "b", Modality.IMAGE);
        assertThat(image.status().phase()).isEqualTo(RolloutPhase.DRAINING);
        assertThat(store.holds(V1, "b")).isTrue();

        clock.advance(Duration.ofSeconds(2));
        await().atMost(Duration.ofSeconds(30)).until(() -> store.resolveAlias(ALIAS).orElseThrow()
                .equals("tessera_tiny_v3"));
        assertThat(store.holds("tessera_tiny_v3", "b")).isTrue();
    }

    @Test
    void drainDelayIsBoundedAndMustOutlastTheReadersAliasCache() {
        RolloutConfig defaults = RolloutConfig.defaults(TestModels.MODEL, Modality.IMAGE);
        assertThat(defaults.drainDelay()).isGreaterThan(RolloutConfig.READER_ALIAS_CACHE_LIMIT)
                .isLessThanOrEqualTo(RolloutConfig.MAX_DRAIN_DELAY);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> defaults.withGracePeriod(Duration.ofMinutes(10),
                Duration.ofSeconds(61))).hasMessageContaining("tessera.rollout.drain-delay");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> defaults.withGracePeriod(Duration.ofSeconds(20),
                Duration.ofSeconds(30))).hasMessageContaining("tessera.rollout.grace-period");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RolloutConfig.requireDrainAboveReaderAliasCache(
                Duration.ofSeconds(10))).hasMessageContaining("tessera.rollout.drain-delay");
        RolloutConfig.requireDrainAboveReaderAliasCache(Duration.ofSeconds(11));
    }

    // ------------------------------------------------------------------------------------------------ harness

    private final java.util.concurrent.ConcurrentHashMap<Integer, AtomicInteger> writesPerVersion =
            new java.util.concurrent.ConcurrentHashMap<>();

    private int writes(int version) {
        return writesPerVersion.getOrDefault(version, new AtomicInteger()).get();
    }

    /** Waits until the arrivals thread has indexed {@code count} more items (those in flight are done then). */
    private static void awaitArrivals(AtomicInteger next, int count) {
        int target = next.get() + count;
        await().atMost(Duration.ofSeconds(20)).until(() -> next.get() >= target);
    }

    private Rollout rollout(Modality modality, Set<Modality> all) {
        EmbeddingRuntime live = TestModels.start(1);
        runtimes.add(live);
        RolloutConfig config = RolloutConfig.defaults(TestModels.MODEL, modality).withModalities(all)
                .withTiming(Duration.ofMillis(50), Duration.ofMillis(100)).withInstanceId(modality + "-test");
        AtomicReference<Rollout> self = new AtomicReference<>();
        MarkerLog log = m -> {
            markers.add(m);
            rollouts.forEach(r -> r.marker(m));
        };
        BackfillIndexer backfill = (item, source, runtime) -> CompletableFuture.supplyAsync(() -> {
            backfillCalls.incrementAndGet();
            write(runtime, item);
            return BackfillIndexer.Outcome.INDEXED;
        });
        Rollout r = new Rollout(config, store, live, new StoreModelLoader(TestModels.store(),
                TestModels.runtimeConfig(), new SimpleMeterRegistry()), log, catalog, backfill,
                new SimpleMeterRegistry(), clock).start();
        self.set(r);
        rollouts.add(r);
        return r;
    }

    /** What the indexer pipeline does with an arrival: media-catalog records it, then every target gets it. */
    private void index(Rollout via, String mediaId, Modality modality) {
        MediaArrived item = MediaArrived.newBuilder().setMediaId(mediaId).setTenant("t1").setModality(modality)
                .setContentType("text/plain").setContent(new InlineText(mediaId)).setInstruction(null)
                .setAttributes(Map.of()).setOccurredAt(Instant.now()).build();
        catalog.append(CatalogEntry.item(item, new CatalogPosition("media.catalog", 0, catalog.size())));
        if (via == null) {
            store.ensureCollection(new ModelSpec(TestModels.MODEL, 1, DIMENSION));
            store.replaceItems(V1, List.of(rowsOf(item, DIMENSION, 1)));
        } else {
            for (EmbeddingRuntime rt : via.runtimes()) {
                write(rt, item);
            }
        }
        indexed.add(mediaId);
    }

    private void deleteLive(Rollout via, String mediaId) {
        indexed.remove(mediaId);
        catalog.append(CatalogEntry.tombstone(mediaId, new CatalogPosition("media.catalog", 0, catalog.size())));
        for (EmbeddingRuntime rt : via.runtimes()) {
            store.deleteItemInAnyTenant(store.naming().collection(rt.model().name(), rt.model().version()), mediaId);
        }
    }

    private void write(EmbeddingRuntime rt, MediaArrived item) {
        int dim = rt.manifest().dimension();
        int version = rt.model().version();
        writesPerVersion.computeIfAbsent(version, v -> new AtomicInteger()).incrementAndGet();
        ModelSpec spec = new ModelSpec(rt.model().name(), version, dim);
        store.ensureCollection(spec);
        store.replaceItems(store.naming().collection(spec.name(), version), List.of(rowsOf(item, dim, version)));
    }

    private static MediaItem rowsOf(MediaArrived item, int dim, int version) {
        float[] v = new float[dim];
        v[version % dim] = 1f;
        return new MediaItem(item.getMediaId(), item.getTenant(), List.of(VectorRow.whole(item.getMediaId(),
                item.getTenant(), item.getModality().name(), v, Map.of())));
    }

    /** media.catalog: append-only, read in order; "slow" holds the cursor back. */
    static final class FakeCatalog implements CatalogSource {
        private final List<CatalogEntry> entries = new CopyOnWriteArrayList<>();
        final AtomicInteger opened = new AtomicInteger();
        final AtomicBoolean slow = new AtomicBoolean();

        void append(CatalogEntry e) {
            entries.add(e);
        }

        int size() {
            return entries.size();
        }

        @Override
        public CatalogCursor open() {
            opened.incrementAndGet();
            return new CatalogCursor() {
                private int position;

                @Override
                public List<CatalogEntry> poll(Duration timeout) {
                    if (slow.get()) {
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException(e);
                        }
                        return List.of();
                    }
                    int end = Math.min(entries.size(), position + 7);
                    List<CatalogEntry> out = List.copyOf(entries.subList(position, end));
                    position = end;
                    return out;
                }

                @Override
                public boolean caughtUp() {
                    return position >= entries.size();
                }

                @Override
                public long total() {
                    return entries.size();
                }

                @Override
                public void close() {
                }
            };
        }
    }

    static final class TestClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
