package io.tessera.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.events.ModelStatus;
import io.tessera.events.ModelVersion;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromotedVersionsTest {

    private static ModelVersion version(int v, Integer parent, ModelStatus status) {
        return ModelVersion.newBuilder().setModelName("m").setVersion(v).setParentVersion(parent)
                .setArtifactUri("file:/models/m/" + v).setSha256("ab").setDimension(8).setStatus(status)
                .setMetrics(Map.of()).setSoupIngredients(List.of()).setPairsTrained(1).setCreatedAt(Instant.EPOCH)
                .build();
    }

    @Test
    void candidatesAndRejectedVersionsAreNotPromoted() {
        PromotedVersions versions = new PromotedVersions();
        assertThat(versions.accept(version(2, null, ModelStatus.CANDIDATE))).isEmpty();
        assertThat(versions.accept(version(2, null, ModelStatus.REJECTED))).isEmpty();
        assertThat(versions.latest("m")).isEmpty();
    }

    @Test
    void theNewestPromotedVersionWinsAndOlderOnesAreIgnored() {
        PromotedVersions versions = new PromotedVersions();
        assertThat(versions.accept(version(3, 2, ModelStatus.PROMOTED))).map(PromotedVersion::version).contains(3);
        assertThat(versions.accept(version(2, 1, ModelStatus.PROMOTED))).isEmpty();
        assertThat(versions.latest("m")).map(PromotedVersion::artifactUri).contains("file:/models/m/3");
    }

    @Test
    void afterCompactionTheParentOfALaterVersionCountsAsPromoted() {
        // models.published is compacted by model name: PROMOTED v2 was replaced by the CANDIDATE v3 trained from it.
        PromotedVersions versions = new PromotedVersions();
        assertThat(versions.accept(version(3, 2, ModelStatus.CANDIDATE)))
                .contains(PromotedVersion.inStore("m", 2));
    }
}
