package io.tessera.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryConfigTest {

    @Test
    void readsConfluentStyleKeysGivenAsStrings() {
        RegistryConfig config = RegistryConfig.fromProperties(Map.of(
                "schema.registry.url", "http://127.0.0.1:8081/apis/ccompat/v7/, https://backup:8443/apis/ccompat/v7",
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "svc:pw:with:colons",
                "schema.registry.request.timeout.ms", "1500",
                "schema.registry.max.retries", "0"));

        assertThat(config.urls()).containsExactly(URI.create("http://127.0.0.1:8081/apis/ccompat/v7"),
                URI.create("https://backup:8443/apis/ccompat/v7"));
        assertThat(config.credentials()).isEqualTo(new RegistryConfig.Credentials.Basic("svc", "pw:with:colons"));
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.maxRetries()).isZero();
        assertThat(config.connectTimeout()).isEqualTo(RegistryConfig.DEFAULT_CONNECT_TIMEOUT);
    }

    @Test
    void aMissingUrlNamesTheKeyToSet() {
        assertThatThrownBy(() -> RegistryConfig.fromProperties(Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schema.registry.url")
                .hasMessageContaining("kafka.schema.registry.url");
    }

    @Test
    void malformedValuesAreRejectedNamingTheKey() {
        assertThatThrownBy(() -> RegistryConfig.fromProperties(Map.of("schema.registry.url", "ftp://x")))
                .hasMessageContaining("http, https or mock");
        assertThatThrownBy(() -> RegistryConfig.fromProperties(Map.of("schema.registry.url", "http://x",
                "schema.registry.request.timeout.ms", "soon"))).hasMessageContaining("schema.registry.request.timeout.ms");
        assertThatThrownBy(() -> RegistryConfig.fromProperties(Map.of("schema.registry.url", "http://x",
                "basic.auth.user.info", "nocolon"))).hasMessageContaining("user:password");
        assertThatThrownBy(() -> RegistryConfig.fromProperties(Map.of("schema.registry.url", "http://x",
                "basic.auth.user.info", "a:b", "bearer.auth.token", "t"))).hasMessageContaining("choose one");
        assertThatThrownBy(() -> RegistryConfig.fromProperties(Map.of("schema.registry.url", "http://x",
                "bearer.auth.credentials.source", "OAUTHBEARER"))).hasMessageContaining("STATIC_TOKEN");
    }

    @Test
    void mockUrlsNameAnInMemoryScopeSharedByTheProcess() {
        RegistryConfig config = RegistryConfig.of("mock://unit-scope");

        assertThat(config.isMock()).isTrue();
        assertThat(SchemaRegistries.shared(config)).isSameAs(InMemorySchemaRegistry.forScope("unit-scope"));
        InMemorySchemaRegistry.dropScope("unit-scope");
    }

    @Test
    void equalConfigurationsShareOneClient() {
        RegistryConfig config = RegistryConfig.of("http://127.0.0.1:1/apis/ccompat/v7");

        assertThat(SchemaRegistries.shared(config)).isSameAs(SchemaRegistries.shared(RegistryConfig.of("http://127.0.0.1:1/apis/ccompat/v7/")));
    }
}
