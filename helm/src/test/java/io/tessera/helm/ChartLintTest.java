package io.tessera.helm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** helm lint and the values schema: what a user gets told before anything reaches a cluster. */
class ChartLintTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(ValuesSet.class)
    void lintPassesStrictlyForDefaultAndEveryCiValuesFile(ValuesSet values) {
        Helm.Result result = Helm.require().lint(values);
        assertThat(result.ok()).as(result.describe()).isTrue();
        assertThat(result.stdout()).contains("0 chart(s) failed").doesNotContain("[WARNING]").doesNotContain("[ERROR]");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ValuesSet.class)
    void templateRendersForDefaultAndEveryCiValuesFile(ValuesSet values) {
        Helm.Result result = Helm.require().template(values);
        assertThat(result.ok()).as(result.describe()).isTrue();
        assertThat(Rendered.parseDocuments(result.stdout())).isNotEmpty();
    }

    @Test
    void schemaRejectsUnknownKeyInServiceBlock() {
        Helm.Result result = Helm.require().template(ValuesSet.DEFAULTS, "--set", "imageIndexer.replica=3");
        assertThat(result.ok()).isFalse();
        assertThat(result.stderr()).contains("/imageIndexer").contains("replica");
    }

    @Test
    void schemaRejectsMistypedValue() {
        Helm.Result result = Helm.require().template(ValuesSet.DEFAULTS, "--set-string", "searchApi.replicas=two");
        assertThat(result.ok()).isFalse();
        assertThat(result.stderr()).contains("/searchApi/replicas");
    }

    @Test
    void schemaRejectsMoreThanOneTrainer() {
        Helm.Result result = Helm.require().template(ValuesSet.DEFAULTS, "--set", "trainer.replicas=2");
        assertThat(result.ok()).isFalse();
        assertThat(result.stderr()).contains("/trainer/replicas");
    }

    @Test
    void securedKafkaWithoutSecretFailsNamingTheValueToSet() {
        Helm.Result result = Helm.require().template(ValuesSet.DEFAULTS, "--set", "kafka.securityProtocol=SASL_SSL",
                "--set", "kafka.tls.existingSecret=ca");
        assertThat(result.ok()).isFalse();
        assertThat(result.stderr()).contains("set kafka.sasl.existingSecret");
    }

    @Test
    void scaleToZeroWithoutKedaIsRejected() {
        Helm.Result result = Helm.require().template(ValuesSet.DEFAULTS, "--set", "textIndexer.autoscaling.minReplicas=0");
        assertThat(result.ok()).isFalse();
        assertThat(result.stderr()).contains("textIndexer.autoscaling.minReplicas is 0").contains("keda.enabled");
    }

    @Test
    void disablingAServiceRemovesAllItsResources() {
        Helm.Result result = Helm.require().template(ValuesSet.DEFAULTS, "--set", "documentIndexer.enabled=false");
        assertThat(result.ok()).as(result.describe()).isTrue();
        var docs = Rendered.parseDocuments(result.stdout());
        assertThat(docs).noneMatch(d -> "document-indexer".equals(d.path("metadata").path("labels").path(Rendered.COMPONENT).asText()));
        assertThat(docs).anyMatch(d -> "text-indexer".equals(d.path("metadata").path("labels").path(Rendered.COMPONENT).asText()));
    }

    @Test
    void anObjectStoreModelStoreIsRejectedBecauseNoServiceReadsOne() {
        Helm.Result result = Helm.require().template(ValuesSet.DEFAULTS, "--set", "modelStore.type=objectStore");
        assertThat(result.ok()).isFalse();
        assertThat(result.stderr()).contains("/modelStore/type");
    }
}
