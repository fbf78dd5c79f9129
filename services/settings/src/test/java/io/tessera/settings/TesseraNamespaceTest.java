package io.tessera.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TesseraNamespaceTest {

    private static SmallRyeConfig config(Map<String, String> properties, Map<String, String> env) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "application.properties", 250))
                .withSources(new EnvConfigSource(env, 300))
                // Quarkus' DurationConverter reads "10s"; plain SmallRye only ISO-8601.
                .withConverter(Duration.class, 200, v -> Duration.parse("PT" + v.toUpperCase(java.util.Locale.ROOT)))
                .withMapping(MilvusSettings.class)
                .build();
    }

    @Test
    void aKeyUnderNoRootIsAnErrorNamingIt() {
        SmallRyeConfig config = config(Map.of("tessera.milvs.uri", "http://x:1", "%prod.tessera.fech.file-roots", "/a",
                "tessera.milvus.uri", "http://127.0.0.1:19530"), Map.of());
        assertThatThrownBy(() -> TesseraNamespace.requireKnownRoots(config))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tessera.fech.file-roots")
                .hasMessageContaining("tessera.milvs.uri")
                .hasMessageContaining("|milvus|");
    }

    @Test
    void keysOfOtherServicesAndEnvironmentVariablesAreNotErrors() {
        SmallRyeConfig config = config(Map.of("tessera.trainer.rounds", "3", "tessera.root", "/repo"),
                Map.of("TESSERA_MILVS_URI", "http://x:1"));
        TesseraNamespace.requireKnownRoots(config);
    }

    @Test
    void smallRyeRejectsAnUnknownKeyUnderAMappedRoot() {
        assertThatThrownBy(() -> config(Map.of("tessera.milvus.urii", "http://x:1"), Map.of()))
                .hasMessageContaining("tessera.milvus.urii");
    }

    @Test
    void everySharedConcernIsARoot() {
        for (Class<?> mapping : new Class<?>[] {TopicSettings.class, KafkaSettings.class, RegistrySettings.class,
                MilvusSettings.class, ModelSettings.class, ModelsDirSettings.class, ModelStoreSettings.class,
                FetchSettings.class, LimitsSettings.class, EmbeddingSettings.class}) {
            String prefix = mapping.getAnnotation(io.smallrye.config.ConfigMapping.class).prefix();
            assertThat(TesseraNamespace.ROOTS).as(mapping.getSimpleName()).contains(prefix.substring("tessera.".length()));
        }
    }
}
