package io.tessera.helm.crd;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * KEDA's ScaledObject (keda.sh/v1alpha1), typed after the fields of KEDA 2.x's CRD that a chart may set.
 * Hand-written because no Java model of KEDA resolves here; deserialised with unknown fields rejected,
 * so a misspelt or misplaced field fails the test. The kafka trigger's metadata (a free string map in
 * the CRD) is checked against the parameters KEDA's Kafka scaler documents.
 */
public record ScaledObject(
        @JsonProperty(required = true) String apiVersion,
        @JsonProperty(required = true) String kind,
        @JsonProperty(required = true) ObjectMeta metadata,
        @JsonProperty(required = true) Spec spec) {

    public ScaledObject {
        require("keda.sh/v1alpha1".equals(apiVersion), "apiVersion must be keda.sh/v1alpha1, was " + apiVersion);
        require("ScaledObject".equals(kind), "kind must be ScaledObject, was " + kind);
    }

    public record Spec(
            @JsonProperty(required = true) ScaleTarget scaleTargetRef,
            Integer pollingInterval,
            Integer cooldownPeriod,
            Integer initialCooldownPeriod,
            Integer idleReplicaCount,
            Integer minReplicaCount,
            Integer maxReplicaCount,
            Fallback fallback,
            Advanced advanced,
            @JsonProperty(required = true) List<Trigger> triggers) {
        public Spec {
            require(triggers != null && !triggers.isEmpty(), "spec.triggers must not be empty");
            require(minReplicaCount == null || minReplicaCount >= 0, "spec.minReplicaCount must be >= 0");
            require(maxReplicaCount == null || maxReplicaCount >= 1, "spec.maxReplicaCount must be >= 1");
            require(minReplicaCount == null || maxReplicaCount == null || minReplicaCount <= maxReplicaCount,
                    "spec.minReplicaCount must not exceed maxReplicaCount");
        }
    }

    public record ScaleTarget(String apiVersion, String kind, @JsonProperty(required = true) String name,
                              String envSourceContainerName) {
    }

    public record Fallback(@JsonProperty(required = true) Integer failureThreshold,
                           @JsonProperty(required = true) Integer replicas, String behavior) {
    }

    public record Advanced(Boolean restoreToOriginalReplicaCount, HpaConfig horizontalPodAutoscalerConfig) {
    }

    public record HpaConfig(String name, HorizontalPodAutoscalerBehavior behavior) {
    }

    public record AuthenticationRef(@JsonProperty(required = true) String name, String kind) {
        public AuthenticationRef {
            require(kind == null || Set.of("TriggerAuthentication", "ClusterTriggerAuthentication").contains(kind),
                    "authenticationRef.kind must be TriggerAuthentication or ClusterTriggerAuthentication, was " + kind);
        }
    }

    public record Trigger(
            @JsonProperty(required = true) String type,
            String name,
            @JsonProperty(required = true) Map<String, String> metadata,
            AuthenticationRef authenticationRef,
            String metricType,
            Boolean useCachedMetrics) {
        /** Parameters of KEDA's Apache Kafka scaler (keda.sh/docs/2.x/scalers/apache-kafka). */
        static final Set<String> KAFKA_PARAMETERS = Set.of("bootstrapServers", "consumerGroup", "topic", "lagThreshold",
                "activationLagThreshold", "offsetResetPolicy", "allowIdleConsumers", "scaleToZeroOnInvalidOffset",
                "excludePersistentLag", "limitToPartitionsWithLag", "ensureEvenDistributionOfPartitions", "version",
                "partitionLimitation", "sasl", "tls", "unsafeSsl");

        public Trigger {
            require(metricType == null || Set.of("AverageValue", "Value", "Utilization").contains(metricType),
                    "trigger metricType must be AverageValue, Value or Utilization, was " + metricType);
            if ("kafka".equals(type)) {
                checkKafka(metadata);
            }
        }

        private static void checkKafka(Map<String, String> m) {
            for (String key : m.keySet()) {
                require(KAFKA_PARAMETERS.contains(key), "kafka trigger: unknown metadata parameter '" + key
                        + "' (known: " + KAFKA_PARAMETERS + ")");
            }
            require(notBlank(m.get("bootstrapServers")), "kafka trigger: bootstrapServers is required");
            require(notBlank(m.get("consumerGroup")), "kafka trigger: consumerGroup is required");
            for (String numeric : List.of("lagThreshold", "activationLagThreshold")) {
                if (m.containsKey(numeric)) {
                    try {
                        require(Long.parseLong(m.get(numeric)) >= 0, "kafka trigger: " + numeric + " must be >= 0");
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("kafka trigger: " + numeric + " must be an integer, was '"
                                + m.get(numeric) + "'");
                    }
                }
            }
            oneOf(m, "offsetResetPolicy", Set.of("earliest", "latest"));
            oneOf(m, "sasl", Set.of("none", "plaintext", "scram_sha256", "scram_sha512", "gssapi", "oauthbearer"));
            oneOf(m, "tls", Set.of("enable", "disable"));
            for (String flag : List.of("allowIdleConsumers", "scaleToZeroOnInvalidOffset", "excludePersistentLag",
                    "limitToPartitionsWithLag", "unsafeSsl")) {
                oneOf(m, flag, Set.of("true", "false"));
            }
        }

        private static void oneOf(Map<String, String> m, String key, Set<String> allowed) {
            if (m.containsKey(key)) {
                require(allowed.contains(m.get(key)), "kafka trigger: " + key + " must be one of " + allowed
                        + ", was '" + m.get(key) + "'");
            }
        }
    }

    static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
