package io.tessera.demo.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.events.IndexStatus;
import io.tessera.events.MediaIndexed;
import io.tessera.events.ModelStatus;
import io.tessera.events.ModelVersion;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrackersTest {

    private static MediaIndexed indexed(String id, String tenant, int version, IndexStatus status) {
        return MediaIndexed.newBuilder().setMediaId(id).setTenant(tenant)
                .setModality(io.tessera.events.Modality.IMAGE).setModelName("tessera-tiny").setModelVersion(version)
                .setCollection("c").setSegments(1).setStatus(status).setError(status == IndexStatus.FAILED ? "bad" : null)
                .setArrivedAt(Instant.EPOCH).setIndexedAt(Instant.EPOCH).build();
    }

    @Test
    void countsTheLatestOutcomePerItemAndVersionForTheRunsTenantAndItemsOnly() {
        IndexedTracker t = new IndexedTracker("demo", Set.of("a", "b", "c"));
        t.accept(indexed("a", "demo", 1, IndexStatus.FAILED));
        t.accept(indexed("a", "demo", 1, IndexStatus.INDEXED));
        t.accept(indexed("b", "demo", 1, IndexStatus.FAILED));
        t.accept(indexed("c", "other", 1, IndexStatus.INDEXED));
        t.accept(indexed("z", "demo", 1, IndexStatus.INDEXED));
        t.accept(indexed("a", "demo", 2, IndexStatus.INDEXED));
        assertEquals(2, t.done(1));
        assertEquals(1, t.indexed(1));
        assertEquals(1, t.failed(1));
        assertEquals(1, t.done(2));
        assertEquals(Set.of(1, 2), t.versions());
    }

    private static ModelVersion version(int v, ModelStatus status, String model) {
        return ModelVersion.newBuilder().setModelName(model).setVersion(v).setParentVersion(v - 1)
                .setArtifactUri("file:///m").setSha256("0".repeat(64)).setDimension(256).setStatus(status)
                .setPairsTrained(10).setCreatedAt(Instant.EPOCH).build();
    }

    @Test
    void findsTheNewestPromotedVersionAboveTheOneBefore() {
        ModelVersions m = new ModelVersions("tessera-tiny");
        m.accept(version(2, ModelStatus.CANDIDATE, "tessera-tiny"));
        assertTrue(m.promotedAbove(1).isEmpty());
        m.accept(version(2, ModelStatus.PROMOTED, "tessera-tiny"));
        m.accept(version(3, ModelStatus.PROMOTED, "other-model"));
        assertEquals(2, m.promotedAbove(1).orElseThrow().getVersion());
        assertTrue(m.promotedAbove(2).isEmpty());
        m.accept(version(3, ModelStatus.REJECTED, "tessera-tiny"));
        assertEquals(3, m.rejectedAbove(2).getFirst().getVersion());
    }

    @Test
    void summarizesTheTrainersStatusInOneLine() throws Exception {
        var status = new ObjectMapper().readTree("{\"pairs\":{\"buffered\":300,\"newSinceLastRound\":300,"
                + "\"received\":314,\"deadLettered\":2},\"round\":{\"state\":\"TRAINING\",\"progress\":0.42,"
                + "\"detail\":\"ingredient 2/4, epoch 3/4\"}}");
        assertEquals("314 pairs in (2 dead-lettered), TRAINING 42%, ingredient 2/4, epoch 3/4", Demo.summarize(status));
    }
}
