package io.tessera.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.tessera.helm.StrictKubernetesModel.InvalidManifestException;
import org.junit.jupiter.api.Test;

/** The validator itself: it must reject what the API server rejects, or the manifest tests prove nothing. */
class StrictKubernetesModelTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: demo
            spec:
              selector:
                matchLabels: {app: demo}
              template:
                metadata:
                  labels: {app: demo}
                spec:
                  containers:
                    - name: demo
                      image: demo:1
                      ports:
                        - name: http
                          containerPort: %s
                      env:
                        - name: A
                          value: %s
                      resources:
                        limits:
                          memory: %s
                      %s
            """;

    private static JsonNode doc(String containerPort, String envValue, String memory, String extra) {
        return Rendered.parseDocuments(DEPLOYMENT.formatted(containerPort, envValue, memory, extra)).get(0);
    }

    @Test
    void acceptsAValidDeployment() {
        Object typed = StrictKubernetesModel.parse(doc("8080", "\"1\"", "1Gi", ""));
        assertThat(typed).isInstanceOf(Deployment.class);
    }

    @Test
    void rejectsAnUnknownFieldDeepInThePodSpec() {
        assertThatThrownBy(() -> StrictKubernetesModel.parse(doc("8080", "\"1\"", "1Gi", "imagePullPolicyy: Always")))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining(".spec.template.spec.containers[0].imagePullPolicyy: unknown field");
    }

    @Test
    void rejectsANumberWhereTheApiWantsAString() {
        assertThatThrownBy(() -> StrictKubernetesModel.parse(doc("8080", "1", "1Gi", "")))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining("EnvVar");
    }

    @Test
    void rejectsAStringWhereTheApiWantsANumber() {
        assertThatThrownBy(() -> StrictKubernetesModel.parse(doc("\"8080\"", "\"1\"", "1Gi", "")))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining("containerPort");
    }

    @Test
    void rejectsAnInvalidQuantity() {
        assertThatThrownBy(() -> StrictKubernetesModel.parse(doc("8080", "\"1\"", "lots", "")))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining("limits.memory: invalid quantity");
    }

    @Test
    void rejectsAKindWithoutAModel() {
        JsonNode cm = Rendered.parseDocuments("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n").get(0);
        assertThatThrownBy(() -> StrictKubernetesModel.parse(cm)).hasMessageContaining("no Kubernetes model");
    }

    @Test
    void rejectsAKafkaTriggerWithAnUnknownParameterOrAnUnquotedNumber() {
        String scaledObject = """
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: x}
                spec:
                  scaleTargetRef: {name: x}
                  triggers:
                    - type: kafka
                      metadata:
                        bootstrapServers: k:9092
                        consumerGroup: g
                        %s
                """;
        assertThat(StrictKubernetesModel.parse(Rendered.parseDocuments(scaledObject.formatted("lagThreshold: \"5\"")).get(0)))
                .isNotNull();
        assertThatThrownBy(() -> StrictKubernetesModel.parse(Rendered.parseDocuments(
                scaledObject.formatted("lagTreshold: \"5\"")).get(0)))
                .hasMessageContaining("unknown metadata parameter 'lagTreshold'");
        assertThatThrownBy(() -> StrictKubernetesModel.parse(Rendered.parseDocuments(
                scaledObject.formatted("lagThreshold: 5")).get(0)))
                .isInstanceOf(InvalidManifestException.class);
    }

    @Test
    void rejectsAnUnknownFieldInAKedaSpec() {
        JsonNode doc = Rendered.parseDocuments("""
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: x}
                spec:
                  scaleTargetRef: {name: x}
                  minReplicas: 1
                  triggers: [{type: cpu, metadata: {value: "50"}}]
                """).get(0);
        assertThatThrownBy(() -> StrictKubernetesModel.parse(doc)).hasMessageContaining("minReplicas");
    }
}
