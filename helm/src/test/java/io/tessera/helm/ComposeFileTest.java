package io.tessera.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.smallrye.config.SmallRyeConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** infra/compose.yaml, which CI cannot run: it parses, pins its images, and follows the config contract. */
class ComposeFileTest {
    private static final List<String> STACK = List.of("kafka", "apicurio", "etcd", "minio", "milvus");

    /** SnakeYAML rather than Jackson: the file uses YAML merge keys (<<), which Jackson's YAML parser does not resolve. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> services() throws IOException {
        try (Reader reader = Files.newBufferedReader(Repo.composeFile())) {
            Map<String, Object> compose = new Yaml(new LoaderOptions()).load(reader);
            return (Map<String, Object>) compose.get("services");
        }
    }

    @Test
    void composeDefinesTheStackAndEveryServiceWithPinnedImages() throws IOException {
        Map<String, Object> services = services();
        assertThat(services).containsKeys(STACK.toArray(String[]::new)).containsKeys(Rendered.SERVICES.toArray(String[]::new));
        services.forEach((name, definition) -> {
            String image = (String) ((Map<?, ?>) definition).get("image");
            assertThat(image).as("image of %s", name).isNotBlank().doesNotEndWith(":latest")
                    .matches("^[a-z0-9./_-]+:[A-Za-z0-9._-]*[0-9][A-Za-z0-9._-]*$");
        });
        assertThat((String) ((Map<?, ?>) services.get("kafka")).get("image")).startsWith("apache/kafka:4.1.");
        assertThat((String) ((Map<?, ?>) services.get("apicurio")).get("image")).isEqualTo("apicurio/apicurio-registry:3.0.9");
        assertThat((String) ((Map<?, ?>) services.get("milvus")).get("image")).startsWith("milvusdb/milvus:v2.");
    }

    @Test
    void tesseraServicesRunNonRootReadOnlyAndBuildFromTheSharedDockerfile() throws IOException {
        Map<String, Object> services = services();
        for (String service : Rendered.SERVICES) {
            Map<?, ?> def = (Map<?, ?>) services.get(service);
            assertThat(def.get("user")).as("user of %s", service).isEqualTo("185");
            assertThat(def.get("read_only")).as("read_only of %s", service).isEqualTo(true);
            Map<?, ?> build = (Map<?, ?>) def.get("build");
            assertThat(build.get("dockerfile")).isEqualTo("infra/docker/Dockerfile.jvm");
            assertThat(((Map<?, ?>) build.get("args")).get("SERVICE")).isEqualTo(service);
        }
    }

    @Test
    void composeEnvironmentFollowsTheConfigKeysContract() throws IOException {
        ConfigKeys keys = ConfigKeys.load();
        Map<String, Object> services = services();
        for (String service : Rendered.SERVICES) {
            Map<String, Object> env = environment(services, service);
            Map<String, ConfigKeys.Key> contract = keys.forService(service);
            assertThat(env.keySet()).as("environment of %s in compose.yaml", service).allMatch(contract::containsKey);
            contract.values().stream()
                    .filter(k -> k.required() && k.readBy() != ConfigKeys.ReadBy.KUBERNETES)
                    .forEach(k -> assertThat(env).as("required %s for %s", k.env(), service).containsKey(k.env()));
            env.values().forEach(v -> assertThat(v).as("compose env values are strings").isInstanceOf(String.class));
            assertThat(env).as("%s must listen beyond its container's loopback", service).containsEntry("QUARKUS_HTTP_HOST", "0.0.0.0");
        }
    }

    /**
     * Each service's compose environment loaded as Quarkus would load it (over its application.properties, prod
     * profile) into its real config mappings: names the contract lists but a value of the wrong type, or a required
     * property the compose file leaves unset, fail here rather than at `docker compose up`.
     */
    @Test
    void composeEnvironmentLoadsIntoEachServicesMappings() throws IOException {
        Map<String, Object> services = services();
        for (String service : Rendered.SERVICES) {
            List<EnvVar> env = environment(services, service).entrySet().stream()
                    .map(e -> new EnvVar(e.getKey(), String.valueOf(e.getValue()), null))
                    .toList();
            ConfigMappingContract.ServiceReads reads = ServiceConfigMappingContractTest.SERVICE_CONFIG_MAPPINGS.get(service);
            SmallRyeConfig config = ServiceConfigLoader.load(env, reads);
            for (Class<?> mapping : reads.mappings()) {
                assertThat(config.getConfigMapping(mapping)).as("%s: %s", service, mapping.getSimpleName()).isNotNull();
            }
        }
    }

    /** The model store each model-using service reads must be a directory its container actually mounts. */
    @Test
    void modelDirectoriesAreMountedVolumes() throws IOException {
        Map<String, Object> services = services();
        // One name in every service: tessera.models.dir.
        Map<String, String> modelDirKey = new java.util.LinkedHashMap<>();
        for (String service : List.of("image-indexer", "video-indexer", "document-indexer", "text-indexer",
                "search-api", "trainer")) {
            modelDirKey.put(service, "TESSERA_MODELS_DIR");
        }
        modelDirKey.forEach((service, key) -> {
            Object dir = environment(services, service).get(key);
            List<?> volumes = (List<?>) ((Map<?, ?>) services.get(service)).get("volumes");
            assertThat(volumes).as("volumes of %s", service)
                    .anySatisfy(v -> assertThat(String.valueOf(v).split(":")[1]).isEqualTo(dir));
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(Map<String, Object> services, String service) {
        return (Map<String, Object>) ((Map<?, ?>) services.get(service)).get("environment");
    }
}
