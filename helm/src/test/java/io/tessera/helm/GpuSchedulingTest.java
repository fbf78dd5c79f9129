package io.tessera.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** GPU indexers and trainer: the GPU is requested, scheduled onto, and used through the CUDA image. */
class GpuSchedulingTest {
    private static final List<String> GPU_CAPABLE = Stream.concat(Rendered.INDEXERS.stream(), Stream.of("trainer")).toList();

    @Test
    void gpuValuesRequestNvidiaGpuForIndexers() {
        Rendered gpu = Rendered.of(ValuesSet.GPU);
        for (String service : GPU_CAPABLE) {
            Container c = Rendered.container(gpu.requireDeployment(service));
            assertThat(c.getResources().getLimits()).as("limits of %s", service).containsEntry("nvidia.com/gpu", new Quantity("1"));
        }
        for (String service : List.of("media-catalog", "search-api")) {
            assertThat(Rendered.container(gpu.requireDeployment(service)).getResources().getLimits())
                    .doesNotContainKey("nvidia.com/gpu");
        }
    }

    @Test
    void gpuPodsUseTheCudaImageAndTheCudaExecutionProvider() {
        Rendered gpu = Rendered.of(ValuesSet.GPU);
        for (String service : GPU_CAPABLE) {
            Deployment d = gpu.requireDeployment(service);
            assertThat(Rendered.container(d).getImage())
                    .isEqualTo("registry.example.internal/tessera/" + service + ":0.1.0-cuda");
            if (!service.equals("trainer")) {
                // The trainer reads no device setting (see config-keys.yaml): its GPU is the CUDA image's.
                assertThat(Rendered.envValue(d, "TESSERA_EMBEDDING_DEVICE")).contains("CUDA");
            }
            assertThat(d.getSpec().getTemplate().getSpec().getRuntimeClassName()).isEqualTo("nvidia");
        }
    }

    @Test
    void gpuPodsTolerateTheGpuTaintSelectGpuNodesAndNeverSurge() {
        Rendered gpu = Rendered.of(ValuesSet.GPU);
        for (String service : GPU_CAPABLE) {
            Deployment d = gpu.requireDeployment(service);
            var pod = d.getSpec().getTemplate().getSpec();
            assertThat(pod.getTolerations()).extracting(Toleration::getKey).contains("nvidia.com/gpu");
            assertThat(pod.getNodeSelector()).isNotEmpty();
            if (!service.equals("trainer")) {
                // A surge pod would sit Pending until a GPU frees up, stalling the rollout.
                assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal()).isZero();
            }
        }
    }

    @Test
    void cpuValuesRequestNoGpuAndUseTheJvmImages() {
        for (ValuesSet values : List.of(ValuesSet.DEFAULTS, ValuesSet.CPU, ValuesSet.EXTERNAL_SECRETS)) {
            for (Deployment d : Rendered.of(values).deployments()) {
                Container c = Rendered.container(d);
                if (c.getResources().getLimits() != null) {
                    assertThat(c.getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
                }
                assertThat(c.getImage()).doesNotEndWith("-cuda");
                assertThat(d.getSpec().getTemplate().getSpec().getTolerations()).isNullOrEmpty();
                Rendered.envValue(d, "TESSERA_EMBEDDING_DEVICE").ifPresent(device -> assertThat(device).isEqualTo("CPU"));
            }
        }
    }
}
