package io.tessera.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** modelStore.type s3 (ci/s3-models-values.yaml): model versions come from the object store, no shared volume. */
class ObjectModelStoreTest {

    private final Rendered r = Rendered.of(ValuesSet.S3_MODELS);

    @Test
    void noPodMountsASharedModelVolume() {
        assertThat(r.all(PersistentVolumeClaim.class)).extracting(p -> p.getMetadata().getName())
                .noneMatch(n -> n.endsWith("-model-store"));
        for (Deployment d : r.deployments()) {
            assertThat(d.getSpec().getTemplate().getSpec().getVolumes()).extracting(Volume::getName)
                    .as("volumes of %s", d.getMetadata().getName()).doesNotContain("model-store");
        }
    }

    @Test
    void indexersAndSearchDownloadIntoTheirOwnCacheAndEveryModelUserKnowsTheStore() {
        for (String service : List.of("image-indexer", "video-indexer", "document-indexer", "text-indexer",
                "search-api", "trainer")) {
            Deployment d = r.requireDeployment(service);
            assertThat(Rendered.envValue(d, "TESSERA_MODEL_STORE_URI")).as(service).contains("s3://tessera-models/prod/");
            assertThat(Rendered.envValue(d, "TESSERA_MODEL_STORE_S3_ENDPOINT")).as(service)
                    .contains("https://s3.example.internal");
            assertThat(Rendered.env(d)).filteredOn(e -> e.getName().equals("TESSERA_MODEL_STORE_S3_SECRET_KEY"))
                    .singleElement().extracting(EnvVar::getValueFrom).extracting(v -> v.getSecretKeyRef().getName())
                    .isEqualTo("tessera-model-store-s3");
            if (!service.equals("trainer")) {
                Volume cache = d.getSpec().getTemplate().getSpec().getVolumes().stream()
                        .filter(v -> v.getName().equals("model-cache")).findFirst().orElseThrow();
                assertThat(cache.getEmptyDir()).as(service).isNotNull();
                assertThat(Rendered.container(d).getVolumeMounts()).as(service)
                        .anyMatch(m -> m.getName().equals("model-cache") && !Boolean.TRUE.equals(m.getReadOnly()));
            }
        }
        Deployment trainer = r.requireDeployment("trainer");
        assertThat(Rendered.envValue(trainer, "TESSERA_MODELS_DIR").orElseThrow())
                .startsWith(Rendered.envValue(trainer, "TESSERA_TRAINER_DATA_DIR").orElseThrow());
    }

    @Test
    void theDefaultsKeepTheSharedVolumeAndSetNoObjectStore() {
        for (Deployment d : Rendered.of(ValuesSet.DEFAULTS).deployments()) {
            assertThat(Rendered.envValue(d, "TESSERA_MODEL_STORE_URI")).isEmpty();
        }
    }
}
