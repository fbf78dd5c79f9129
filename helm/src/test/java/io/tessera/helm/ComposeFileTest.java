package io.tessera.helm;

import static org.assertj.core.api.Assertions.assertThat;

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
            @SuppressWarnings("unchecked")
            Map<String, Object> env = (Map<String, Object>) ((Map<?, ?>) services.get(service)).get("environment");
            Map<String, ConfigKeys.Key> contract = keys.forService(service);
            assertThat(env.keySet()).as("environment of %s in compose.yaml", service).allMatch(contract::containsKey);
            contract.values().stream()
                    .filter(k -> k.required() && k.readBy() != ConfigKeys.ReadBy.KUBERNETES)
                    .forEach(k -> assertThat(env).as("required %s for %s", k.env(), service).containsKey(k.env()));
            env.values().forEach(v -> assertThat(v).as("compose env values are strings").isInstanceOf(String.class));
        }
    }
}
