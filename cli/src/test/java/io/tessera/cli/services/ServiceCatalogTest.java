package io.tessera.cli.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.stack.StackConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceCatalogTest {

    @TempDir
    Path repo;

    @Test
    void theCatalogueHoldsEveryServiceOfTheArchitectureOnItsPort() {
        Map<String, Integer> ports = ServiceCatalog.all().stream()
                .collect(Collectors.toMap(ServiceDefinition::name, ServiceDefinition::port));
        assertEquals(Map.of("media-catalog", 8085, "image-indexer", 8091, "video-indexer", 8092, "document-indexer", 8093,
                "text-indexer", 8094, "trainer", 8086, "search-api", 8080), ports);
        assertEquals("media-catalog", ServiceCatalog.all().getFirst().name(), "the catalog creates the topics: first");
        assertEquals(ServiceCatalog.all().size(), Set.copyOf(ServiceCatalog.all().stream().map(ServiceDefinition::port).toList()).size());
    }

    @Test
    void aServiceIsAvailableOnceItsModuleHasMainSources() throws Exception {
        ServiceDefinition s = ServiceCatalog.byName("search-api");
        assertFalse(ServiceCatalog.isAvailable(repo, s));
        Files.createDirectories(repo.resolve("services/search-api/src/main/resources"));
        assertTrue(ServiceCatalog.isAvailable(repo, s));
        assertEquals(List.of(s), ServiceCatalog.available(repo));
    }

    @Test
    void aJarIsRebuiltWhenMissingOrOlderThanItsSources() throws Exception {
        StackConfig config = StackConfig.fromEnvironment().withHome(repo.resolve(".tessera"));
        config = new StackConfig(repo, config.home(), config.host(), config.kafkaPort(), config.kafkaControllerPort(),
                config.registryPort(), config.milvusPort(), config.s3Port(), config.kafkaSecurePort(), config.python());
        ServiceBuilder builder = new ServiceBuilder(config);
        ServiceDefinition s = ServiceCatalog.byName("media-catalog");
        Path source = repo.resolve("services/media-catalog/src/main/java/A.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "class A {}");
        assertEquals(List.of(s), builder.needingBuild(List.of(s)), "jar missing");

        Path jar = repo.resolve(s.mainJar());
        Files.createDirectories(jar.getParent());
        Files.write(jar, new byte[0]);
        Files.setLastModifiedTime(source, FileTime.from(Instant.now().minusSeconds(60)));
        assertEquals(List.of(), builder.needingBuild(List.of(s)), "jar newer than the sources");

        Path library = repo.resolve("services/vector-store/src/main/java/B.java");
        Files.createDirectories(library.getParent());
        Files.writeString(library, "class B {}");
        Files.setLastModifiedTime(library, FileTime.from(Instant.now().plusSeconds(60)));
        assertEquals(List.of(s), builder.needingBuild(List.of(s)), "a library changed after the build");
    }

    @Test
    void servicesGetTheStackAddressesAndTheModelStore() {
        StackConfig config = StackConfig.fromEnvironment().withHome(repo.resolve(".tessera"));
        ServiceRunner runner = new ServiceRunner(config);
        Map<String, String> env = runner.baseEnvironment(ServiceCatalog.byName("search-api"));
        assertEquals(config.kafkaBootstrap(), env.get("KAFKA_BOOTSTRAP_SERVERS"));
        assertEquals(config.registryUrl(), env.get("TESSERA_REGISTRY_URL"));
        assertEquals(config.milvusUri(), env.get("TESSERA_MILVUS_URI"));
        assertEquals("8080", env.get("QUARKUS_HTTP_PORT"));
        assertEquals(repo.resolve(".tessera/models").toString(), env.get("TESSERA_MODELS_DIR"));
        assertEquals("1", env.get("ORT_DISABLE_TELEMETRY"));
    }
}
