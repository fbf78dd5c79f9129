package io.tessera.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.tessera.helm.crd.ScaledObject;
import io.tessera.helm.crd.TriggerAuthentication;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Credentials only ever travel as references to Secrets that exist outside the chart. */
class SecretsTest {
    /** The Secrets ci/external-secrets-values.yaml names, and the env vars that must reference them. */
    private static final Map<String, String> SECRET_OF_ENV = Map.ofEntries(
            Map.entry("TESSERA_KAFKA_SASL_USERNAME", "tessera-kafka-user"),
            Map.entry("TESSERA_KAFKA_SASL_PASSWORD", "tessera-kafka-user"),
            // Every service reads its Kafka security from the same kafka.* keys (KafkaConnection).
            Map.entry("KAFKA_SSL_TRUSTSTORE_CERTIFICATES", "tessera-kafka-tls"),
            Map.entry("KAFKA_SSL_KEYSTORE_CERTIFICATE_CHAIN", "tessera-kafka-tls"),
            Map.entry("KAFKA_SSL_KEYSTORE_KEY", "tessera-kafka-tls"),
            Map.entry("TESSERA_SEARCH_CURSOR_SECRET", "tessera-search-signing"),
            Map.entry("TESSERA_SEARCH_CONTENT_LINK_SECRET", "tessera-search-signing"),
            Map.entry("TESSERA_REGISTRY_USERNAME", "tessera-registry"),
            Map.entry("TESSERA_REGISTRY_PASSWORD", "tessera-registry"),
            Map.entry("TESSERA_MILVUS_TOKEN", "tessera-milvus"));

    @ParameterizedTest(name = "{0}")
    @EnumSource(ValuesSet.class)
    void secretsAreReferencedNotInlined(ValuesSet values) {
        Rendered r = Rendered.of(values);
        assertThat(r.documents).extracting(d -> d.path("kind").asText()).doesNotContain("Secret");
        ConfigKeys keys = ConfigKeys.load();
        for (Deployment d : r.deployments()) {
            Map<String, ConfigKeys.Key> contract = keys.forService(Rendered.component(d));
            for (EnvVar e : Rendered.env(d)) {
                ConfigKeys.Key key = contract.get(e.getName());
                if (key != null && key.source() == ConfigKeys.Source.SECRET) {
                    assertThat(e.getValue()).as("%s of %s is a secret: never a literal", e.getName(), d.getMetadata().getName())
                            .isNull();
                    assertThat(e.getValueFrom().getSecretKeyRef()).as("%s comes from a Secret", e.getName()).isNotNull();
                }
            }
        }
    }

    @Test
    void externalSecretsValuesReferenceEveryConfiguredSecretWithItsKey() {
        Rendered r = Rendered.of(ValuesSet.EXTERNAL_SECRETS);
        Set<String> seen = new HashSet<>();
        for (Deployment d : r.deployments()) {
            for (EnvVar e : Rendered.env(d)) {
                String expected = SECRET_OF_ENV.get(e.getName());
                if (expected != null) {
                    assertThat(e.getValueFrom().getSecretKeyRef().getName()).as(e.getName()).isEqualTo(expected);
                    assertThat(e.getValueFrom().getSecretKeyRef().getKey()).as(e.getName()).isNotBlank();
                    seen.add(e.getName());
                }
            }
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(SECRET_OF_ENV.keySet());
        for (Deployment d : r.deployments()) {
            assertThat(Rendered.envValue(d, "KAFKA_SASL_JAAS_CONFIG")).as(d.getMetadata().getName()).hasValueSatisfying(jaas -> assertThat(jaas)
                    .startsWith("org.apache.kafka.common.security.scram.ScramLoginModule required")
                    .contains("username=\"$(TESSERA_KAFKA_SASL_USERNAME)\"")
                    .contains("password=\"$(TESSERA_KAFKA_SASL_PASSWORD)\""));
        }
    }

    @Test
    void kedaAuthenticatesWithTheSameSecretsAsTheServices() {
        Rendered r = Rendered.of(ValuesSet.EXTERNAL_SECRETS);
        TriggerAuthentication auth = r.all(TriggerAuthentication.class).stream().findFirst().orElseThrow();
        Map<String, String> secretByParameter = auth.spec().secretTargetRef().stream()
                .collect(Collectors.toMap(TriggerAuthentication.SecretTargetRef::parameter, TriggerAuthentication.SecretTargetRef::name));
        assertThat(secretByParameter).containsEntry("username", "tessera-kafka-user").containsEntry("password", "tessera-kafka-user")
                .containsEntry("ca", "tessera-kafka-tls").containsEntry("cert", "tessera-kafka-tls").containsEntry("key", "tessera-kafka-tls");
        for (ScaledObject so : r.all(ScaledObject.class)) {
            ScaledObject.Trigger trigger = so.spec().triggers().get(0);
            assertThat(trigger.authenticationRef().name()).isEqualTo(auth.metadata().getName());
            assertThat(trigger.metadata()).containsEntry("sasl", "scram_sha512").containsEntry("tls", "enable");
        }
    }
}
