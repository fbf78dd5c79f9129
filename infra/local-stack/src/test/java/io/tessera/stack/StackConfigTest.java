package io.tessera.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class StackConfigTest {

    @Test
    void defaultsAreTheContractPortsUnderTheRepositoryRuntimeDir() {
        Properties sys = new Properties();
        sys.setProperty("tessera.root", "/repo");
        StackConfig c = StackConfig.fromEnvironment(sys, Map.of());
        assertEquals(Path.of("/repo/.tessera"), c.home());
        assertEquals("127.0.0.1:9092", c.kafkaBootstrap());
        assertEquals("http://127.0.0.1:8081/apis/ccompat/v7", c.registryUrl());
        assertEquals("http://127.0.0.1:19530", c.milvusUri());
        assertEquals(Path.of("/repo/.tessera/logs"), c.logsDir());
        assertEquals(Path.of("/repo/.tessera/venv"), c.venvDir());
    }

    @Test
    void systemPropertiesWinOverEnvironmentVariables() {
        Properties sys = new Properties();
        sys.setProperty("tessera.root", "/repo");
        sys.setProperty("tessera.kafka.port", "29092");
        StackConfig c = StackConfig.fromEnvironment(sys, Map.of(
                "TESSERA_KAFKA_PORT", "39092", "TESSERA_MILVUS_PORT", "29530", "TESSERA_HOME", "/tmp/other"));
        assertEquals(29092, c.kafkaPort());
        assertEquals(29530, c.milvusPort());
        assertEquals(Path.of("/tmp/other"), c.home());
    }

    @Test
    void theObjectStoresPortBlockMustNotOverlapAnotherPart() {
        StackConfig c = StackConfig.fromEnvironment(new Properties(), Map.of("TESSERA_ROOT", "/repo",
                "TESSERA_S3_PORT", "28333"));
        assertEquals(28333, c.s3Port());
        assertEquals("http://127.0.0.1:28333", c.s3Endpoint());
        IllegalArgumentException overlap = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> c.withS3Port(19525));
        org.junit.jupiter.api.Assertions.assertTrue(overlap.getMessage().contains("19530"), overlap.getMessage());
    }

    @Test
    void aPortThatIsNotANumberIsNamedInTheError() {
        Properties sys = new Properties();
        sys.setProperty("tessera.root", "/repo");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StackConfig.fromEnvironment(sys, Map.of("TESSERA_REGISTRY_PORT", "eighty")));
        assertTrue(e.getMessage().contains("TESSERA_REGISTRY_PORT"), e.getMessage());
    }

    @Test
    void portsMustDiffer() {
        StackConfig c = StackConfig.fromEnvironment(props(), Map.of());
        assertThrows(IllegalArgumentException.class, () -> c.withPorts(9092, 9092, 8081, 19530));
        assertThrows(IllegalArgumentException.class, () -> c.withPorts(0, 9093, 8081, 19530));
    }

    @Test
    void repoRootIsFoundFromASubdirectory(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        java.nio.file.Files.createDirectories(tmp.resolve(".mvn"));
        java.nio.file.Files.writeString(tmp.resolve("mvnw"), "");
        Path sub = java.nio.file.Files.createDirectories(tmp.resolve("a/b"));
        assertEquals(tmp.toAbsolutePath(), StackConfig.findRepoRoot(sub));
    }

    private static Properties props() {
        Properties sys = new Properties();
        sys.setProperty("tessera.root", "/repo");
        return sys;
    }
}
