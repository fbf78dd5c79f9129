package io.tessera.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TrainerDeploymentTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(ValuesSet.class)
    void trainerIsSingleReplicaWithRecreate(ValuesSet values) {
        Deployment trainer = Rendered.of(values).requireDeployment("trainer");
        assertThat(trainer.getSpec().getReplicas()).isEqualTo(1);
        assertThat(trainer.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(trainer.getSpec().getStrategy().getRollingUpdate()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ValuesSet.class, names = {"DEFAULTS", "GPU"})
    void trainerMountsItsOwnClaimAtItsWorkDir(ValuesSet values) {
        Rendered r = Rendered.of(values);
        Deployment trainer = r.requireDeployment("trainer");
        String workDir = Rendered.envValue(trainer, "TESSERA_TRAINER_DATA_DIR").orElseThrow();
        VolumeMount mount = Rendered.container(trainer).getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals(workDir)).findFirst().orElseThrow();
        Volume volume = trainer.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        String claim = volume.getPersistentVolumeClaim().getClaimName();
        assertThat(r.all(PersistentVolumeClaim.class)).extracting(p -> p.getMetadata().getName()).contains(claim);
        // Its claim is its own: no other pod mounts it.
        for (Deployment other : r.deployments()) {
            if (!"trainer".equals(Rendered.component(other))) {
                assertThat(other.getSpec().getTemplate().getSpec().getVolumes())
                        .noneMatch(v -> v.getPersistentVolumeClaim() != null && claim.equals(v.getPersistentVolumeClaim().getClaimName()));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ValuesSet.class, names = {"DEFAULTS", "CPU", "GPU"})
    void onlyTheTrainerWritesTheSharedModelStore(ValuesSet values) {
        for (Deployment d : Rendered.of(values).deployments()) {
            Rendered.container(d).getVolumeMounts().stream().filter(m -> m.getName().equals("model-store")).forEach(m ->
                    assertThat(m.getReadOnly()).as("model-store mount of %s read-only", d.getMetadata().getName())
                            .isEqualTo(!"trainer".equals(Rendered.component(d))));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ValuesSet.class)
    void trainerHasNoDisruptionBudgetToBlockDrains(ValuesSet values) {
        assertThat(Rendered.of(values).all(PodDisruptionBudget.class)).map(Rendered::component).doesNotContain("trainer");
    }
}
