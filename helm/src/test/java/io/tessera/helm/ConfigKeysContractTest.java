package io.tessera.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The chart's half of "the env each Deployment gets matches the configuration keys its service reads":
 * nothing rendered that config-keys.yaml does not list for that service, nothing it marks required missing.
 * The services' half is {@link ServiceConfigMappingContractTest}.
 */
class ConfigKeysContractTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(ValuesSet.class)
    void everyRenderedEnvVarIsListedInConfigKeysForItsService(ValuesSet values) {
        ConfigKeys keys = ConfigKeys.load();
        for (Deployment d : Rendered.of(values).deployments()) {
            Set<String> listed = keys.forService(Rendered.component(d)).keySet();
            assertThat(Rendered.env(d)).extracting(EnvVar::getName)
                    .as("env of %s not in config-keys.yaml services.%s", d.getMetadata().getName(), Rendered.component(d))
                    .allMatch(listed::contains);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ValuesSet.class)
    void everyRequiredKeyIsSet(ValuesSet values) {
        ConfigKeys keys = ConfigKeys.load();
        for (Deployment d : Rendered.of(values).deployments()) {
            Set<String> rendered = new HashSet<>(Rendered.env(d).stream().map(EnvVar::getName).toList());
            keys.forService(Rendered.component(d)).values().stream().filter(ConfigKeys.Key::required).forEach(key ->
                    assertThat(rendered).as("required %s in %s", key.env(), d.getMetadata().getName()).contains(key.env()));
        }
    }

    @Test
    void everyListedKeyIsRenderedBySomeCiValuesSet() {
        ConfigKeys keys = ConfigKeys.load();
        Map<String, Set<String>> renderedByService = new HashMap<>();
        for (ValuesSet values : ValuesSet.values()) {
            for (Deployment d : Rendered.of(values).deployments()) {
                renderedByService.computeIfAbsent(Rendered.component(d), s -> new HashSet<>())
                        .addAll(Rendered.env(d).stream().map(EnvVar::getName).toList());
            }
        }
        for (String service : Rendered.SERVICES) {
            assertThat(renderedByService.get(service))
                    .as("keys of %s never rendered by any values set (dead contract entries, or a missing ci case)", service)
                    .containsAll(keys.forService(service).keySet());
        }
    }

    @Test
    void applicationKeysAreTheQuarkusEnvironmentFormOfTheirProperty() {
        ConfigKeys keys = ConfigKeys.load();
        for (String service : Rendered.SERVICES) {
            keys.forService(service).values().stream().filter(k -> k.readBy() == ConfigKeys.ReadBy.APPLICATION).forEach(k ->
                    assertThat(k.env()).as("env name of property %s", k.property()).isEqualTo(ConfigKeys.quarkusEnvName(k.property())));
        }
    }

    @Test
    void configKeysNameExactlyTheChartsServices() {
        assertThat(ConfigKeys.load().services().keySet()).containsExactlyInAnyOrderElementsOf(Rendered.SERVICES);
        assertThat(Rendered.of(ValuesSet.DEFAULTS).deployments()).extracting(Rendered::component)
                .containsExactlyInAnyOrderElementsOf(Rendered.SERVICES);
    }

    @Test
    void tenantFacingEndpointsAreWiredBetweenServices() {
        Rendered r = Rendered.of(ValuesSet.DEFAULTS);
        String catalogUrl = Rendered.envValue(r.requireDeployment("search-api"), "TESSERA_SEARCH_CATALOG_URL").orElseThrow();
        assertThat(catalogUrl).isEqualTo("http://tessera-media-catalog:8080");
        Deployment catalog = r.requireDeployment("media-catalog");
        assertThat(Rendered.envValue(catalog, "QUARKUS_KAFKA_STREAMS_APPLICATION_SERVER")).contains("$(TESSERA_POD_IP):8080");
        assertThat(Rendered.envValue(r.requireDeployment("image-indexer"), "TESSERA_KAFKA_GROUP_ID")).contains("tessera-image-indexer");
        assertThat(Rendered.envValue(r.requireDeployment("trainer"), "TESSERA_TRAINER_GROUP_ID")).contains("tessera-trainer");
    }
}
