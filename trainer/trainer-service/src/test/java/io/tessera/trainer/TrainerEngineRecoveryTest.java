package io.tessera.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tessera.embedding.model.LocalModelStore;
import io.tessera.events.ModelStatus;
import io.tessera.events.ModelVersion;
import io.tessera.media.FetchConfig;
import io.tessera.media.MediaDecoder;
import io.tessera.trainer.features.CatalogLookup;
import io.tessera.trainer.round.Gate;
import io.tessera.trainer.round.PairSplit;
import io.tessera.trainer.round.PublishedModels;
import io.tessera.trainer.round.RoundRunner;
import io.tessera.trainer.round.RoundTrigger;
import io.tessera.trainer.store.PairStore;
import io.tessera.trainer.store.RoundLedger;
import io.tessera.training.TrainingConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After a crash, a round's missing ModelVersion records are published exactly once, in order. */
class TrainerEngineRecoveryTest {

    @TempDir
    Path dir;

    private final List<ModelVersion> sent = new ArrayList<>();

    private TrainerEngine engine(RoundLedger ledger, PairStore pairs) {
        TrainerSettings settings = new TrainerSettings("m", 1, dir.resolve("models"), dir, "pairs.curated",
                "media.catalog", "models.published", new PairSplit(0.2), new RoundTrigger(10, Duration.ZERO, 1), 1, 7,
                2, RoundRunner.SoupChoice.BEST, 0.02, new Gate(0.01), TrainingConfig.builder().build(), "search",
                FetchConfig.defaults(), 8, Duration.ofSeconds(1), 1 << 20, "trainer");
        return new TrainerEngine(settings, pairs, ledger, new LocalModelStore(dir.resolve("models")),
                timeout -> new PublishedModels("m"), sent::add, CatalogLookup.empty(), new MediaDecoder(FetchConfig.defaults()),
                d -> { throw new AssertionError("no model is loaded by recovery"); }, new SimpleMeterRegistry(),
                Clock.systemUTC());
    }

    private static RoundLedger.Entry entry(int version, String decision, Set<String> published) {
        return new RoundLedger.Entry("m", version, version - 1, "file:///models/m/" + version + "/", "a".repeat(64), 8,
                decision, Map.of("recall@1.after", 0.5), List.of(new RoundLedger.Entry.Ingredient("ingredient-1", 1.0,
                Map.of("recall@1.after", 0.5))), 100, 1_000L * version, 10L * version, published);
    }

    @Test
    void publishesOnlyWhatEachRoundStillLacksAndRecordsIt() {
        RoundLedger ledger = new RoundLedger(dir);
        ledger.save(entry(2, "PROMOTED", Set.of("CANDIDATE", "PROMOTED"))); // complete
        ledger.save(entry(3, "REJECTED", Set.of("CANDIDATE")));             // crashed before its verdict
        ledger.save(entry(4, "PROMOTED", Set.of()));                        // crashed before publishing anything
        PublishedModels topic = new PublishedModels("m");
        topic.apply(entry(2, "PROMOTED", Set.of()).toEvent(ModelStatus.CANDIDATE));
        topic.apply(entry(2, "PROMOTED", Set.of()).toEvent(ModelStatus.PROMOTED));
        topic.apply(entry(3, "REJECTED", Set.of()).toEvent(ModelStatus.CANDIDATE));
        // v4's CANDIDATE reached the topic, but the crash came before the ledger recorded it.
        topic.apply(entry(4, "PROMOTED", Set.of()).toEvent(ModelStatus.CANDIDATE));

        try (PairStore pairs = PairStore.open(dir)) {
            TrainerEngine engine = engine(ledger, pairs);
            engine.recover(topic);
            assertThat(sent).extracting(v -> v.getVersion() + " " + v.getStatus())
                    .containsExactly("3 REJECTED", "4 PROMOTED");
            assertThat(ledger.entries("m")).allMatch(RoundLedger.Entry::fullyPublished);

            // A second recovery (another restart) publishes nothing again.
            sent.clear();
            engine.recover(topic);
            assertThat(sent).isEmpty();
            engine.close();
        }
    }

    @Test
    void aRecordCompactedAwayIsNotPublishedAgain() {
        RoundLedger ledger = new RoundLedger(dir);
        ledger.save(entry(2, "PROMOTED", Set.of("CANDIDATE", "PROMOTED")));
        PublishedModels compacted = new PublishedModels("m"); // the topic kept only a later record
        compacted.apply(entry(5, "REJECTED", Set.of()).toEvent(ModelStatus.REJECTED));
        try (PairStore pairs = PairStore.open(dir)) {
            TrainerEngine engine = engine(ledger, pairs);
            engine.recover(compacted);
            assertThat(sent).isEmpty();
            engine.close();
        }
    }

    @Test
    void theLedgerEntryBecomesTheEventPublished() {
        ModelVersion v = entry(3, "REJECTED", Set.of()).toEvent(ModelStatus.REJECTED);
        assertThat(v.getModelName()).isEqualTo("m");
        assertThat(v.getParentVersion()).isEqualTo(2);
        assertThat(v.getSoupIngredients()).hasSize(1);
        assertThat(v.getMetrics()).containsEntry("recall@1.after", 0.5);
        assertThat(v.getPairsTrained()).isEqualTo(100);
        assertThat(v.getCreatedAt().toEpochMilli()).isEqualTo(3_000);
    }
}
