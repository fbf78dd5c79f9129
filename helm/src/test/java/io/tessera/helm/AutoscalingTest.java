package io.tessera.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.tessera.helm.crd.ScaledObject;
import io.tessera.helm.crd.TriggerAuthentication;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Indexers scale on the lag of the consumer group they commit to (KEDA), or on CPU without KEDA. */
class AutoscalingTest {
    private static final Map<String, String> TOPIC_OF = Map.of("image-indexer", "media.image", "video-indexer", "media.video",
            "document-indexer", "media.document", "text-indexer", "media.text");

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ValuesSet.class, names = {"GPU", "EXTERNAL_SECRETS"})
    void kedaScalesEachIndexerOnTheLagOfTheGroupItCommitsTo(ValuesSet values) {
        Rendered r = Rendered.of(values);
        List<ScaledObject> scaled = r.all(ScaledObject.class);
        assertThat(scaled).hasSize(4);
        for (ScaledObject so : scaled) {
            Deployment target = r.deployments().stream()
                    .filter(d -> d.getMetadata().getName().equals(so.spec().scaleTargetRef().name())).findFirst().orElseThrow();
            String service = Rendered.component(target);
            ScaledObject.Trigger trigger = so.spec().triggers().get(0);
            assertThat(trigger.type()).isEqualTo("kafka");
            assertThat(trigger.metadata().get("consumerGroup"))
                    .isEqualTo(Rendered.envValue(target, "TESSERA_KAFKA_GROUP_ID").orElseThrow());
            String prefix = Rendered.envValue(target, "TESSERA_TOPICS_PREFIX").orElse("");
            assertThat(trigger.metadata().get("topic")).isEqualTo(prefix + TOPIC_OF.get(service));
            assertThat(trigger.metadata().get("bootstrapServers"))
                    .isEqualTo(Rendered.envValue(target, "KAFKA_BOOTSTRAP_SERVERS").orElseThrow());
        }
    }

    @Test
    void cpuHpaWhenKedaIsDisabled() {
        Rendered r = Rendered.of(ValuesSet.CPU);
        assertThat(r.all(ScaledObject.class)).isEmpty();
        assertThat(r.all(TriggerAuthentication.class)).isEmpty();
        List<HorizontalPodAutoscaler> hpas = r.all(HorizontalPodAutoscaler.class);
        // cpu-values turns the video indexer's autoscaling off.
        assertThat(hpas).extracting(h -> h.getSpec().getScaleTargetRef().getName())
                .containsExactlyInAnyOrder("tessera-image-indexer", "tessera-document-indexer", "tessera-text-indexer");
        for (HorizontalPodAutoscaler hpa : hpas) {
            assertThat(hpa.getSpec().getMetrics()).singleElement()
                    .satisfies(m -> assertThat(m.getResource().getName()).isEqualTo("cpu"));
            Deployment target = r.deployments().stream()
                    .filter(d -> d.getMetadata().getName().equals(hpa.getSpec().getScaleTargetRef().getName())).findFirst().orElseThrow();
            assertThat(Rendered.container(target).getResources().getRequests()).as("CPU utilisation needs a CPU request")
                    .containsKey("cpu");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ValuesSet.class)
    void autoscaledDeploymentsLeaveReplicasToTheirSingleAutoscaler(ValuesSet values) {
        Rendered r = Rendered.of(values);
        List<String> targets = new ArrayList<>();
        r.all(ScaledObject.class).forEach(so -> targets.add(so.spec().scaleTargetRef().name()));
        r.all(HorizontalPodAutoscaler.class).forEach(h -> targets.add(h.getSpec().getScaleTargetRef().getName()));
        assertThat(targets).doesNotHaveDuplicates();
        for (Deployment d : r.deployments()) {
            if (targets.contains(d.getMetadata().getName())) {
                assertThat(d.getSpec().getReplicas()).as("replicas of autoscaled %s", d.getMetadata().getName()).isNull();
            } else {
                assertThat(d.getSpec().getReplicas()).as("replicas of %s", d.getMetadata().getName()).isNotNull();
            }
        }
    }
}
