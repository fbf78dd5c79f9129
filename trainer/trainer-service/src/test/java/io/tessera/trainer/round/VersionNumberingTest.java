package io.tessera.trainer.round;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.events.ModelStatus;
import io.tessera.events.ModelVersion;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VersionNumberingTest {

    @Test
    void nextIsOneAboveEveryNumberEverUsed() {
        assertThat(VersionNumbering.next(Set.of(), List.of(), List.of())).isEqualTo(1);
        assertThat(VersionNumbering.next(Set.of(), List.of(1), List.of())).as("the bundled v1 in the store").isEqualTo(2);
        assertThat(VersionNumbering.next(Set.of(2, 3), List.of(1, 2, 3), List.of(2, 3))).isEqualTo(4);
        // Compaction left only v3 on the topic, a crashed round wrote v5 to the store but never published it.
        assertThat(VersionNumbering.next(Set.of(3), List.of(1, 2, 3, 5), List.of(2, 3))).isEqualTo(6);
        // A round reserved v4 in the ledger and crashed before installing it.
        assertThat(VersionNumbering.next(Set.of(3), List.of(1, 2, 3), List.of(4))).isEqualTo(5);
    }

    @Test
    void theSameInputsAlwaysGiveTheSameNumber() {
        Set<Integer> published = Set.of(2, 7, 3);
        assertThat(VersionNumbering.next(published, List.of(1), List.of(7)))
                .isEqualTo(VersionNumbering.next(Set.of(7, 3, 2), List.of(1), List.of(7)));
    }

    @Test
    void publishedModelsFollowsTheLastPromotedAndFallsBackToTheParentAfterCompaction() {
        PublishedModels view = new PublishedModels("m");
        assertThat(view.liveVersion()).isEmpty();
        view.apply(version(2, 1, ModelStatus.CANDIDATE));
        view.apply(version(2, 1, ModelStatus.PROMOTED));
        view.apply(version(3, 2, ModelStatus.CANDIDATE));
        view.apply(version(3, 2, ModelStatus.REJECTED));
        view.apply(ModelVersion.newBuilder(version(9, 1, ModelStatus.PROMOTED)).setModelName("other").build());
        assertThat(view.liveVersion()).contains(2);
        assertThat(view.versions()).containsExactlyInAnyOrder(2, 3);
        assertThat(view.has(3, ModelStatus.REJECTED)).isTrue();
        assertThat(view.has(3, ModelStatus.PROMOTED)).isFalse();

        PublishedModels compacted = new PublishedModels("m");
        compacted.apply(version(3, 2, ModelStatus.REJECTED));
        assertThat(compacted.liveVersion()).as("the rejected candidate's parent is live").contains(2);
    }

    static ModelVersion version(int v, Integer parent, ModelStatus status) {
        return ModelVersion.newBuilder().setModelName("m").setVersion(v).setParentVersion(parent)
                .setArtifactUri("file:///store/m/" + v + "/").setSha256("0".repeat(64)).setDimension(8).setStatus(status)
                .setMetrics(Map.of()).setSoupIngredients(List.of()).setPairsTrained(10)
                .setCreatedAt(Instant.ofEpochMilli(1_000)).build();
    }
}
