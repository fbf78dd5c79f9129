package io.tessera.stack.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.stack.StackConfig;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaServerTest {

    private final StackConfig config = StackConfig.fromEnvironment(props(), Map.of()).withPorts(29092, 29093, 28081, 29530);

    @Test
    void singleNodeKraftOnLoopbackWithReplicationFactorOneAndAutoCreate() throws Exception {
        Properties p = new Properties();
        p.load(new java.io.StringReader(new KafkaServer(config).serverProperties()));
        assertEquals("broker,controller", p.getProperty("process.roles"));
        assertEquals("1@127.0.0.1:29093", p.getProperty("controller.quorum.voters"));
        assertEquals("PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093", p.getProperty("listeners"));
        assertEquals("PLAINTEXT://127.0.0.1:29092", p.getProperty("advertised.listeners"));
        assertEquals("/repo/.tessera/data/kafka", p.getProperty("log.dirs"));
        for (String rf : new String[] {"offsets.topic.replication.factor", "transaction.state.log.replication.factor",
                "share.coordinator.state.topic.replication.factor", "default.replication.factor"}) {
            assertEquals("1", p.getProperty(rf), rf);
        }
        assertEquals("0", p.getProperty("group.initial.rebalance.delay.ms"));
        assertEquals("true", p.getProperty("auto.create.topics.enable"));
    }

    @Test
    void launchCommandIsIdentifiedByItsOwnConfigFile() {
        KafkaServer kafka = new KafkaServer(config);
        String cmd = String.join(" ", kafka.command());
        assertTrue(kafka.process().identity().stream().allMatch(cmd::contains), cmd);
        assertTrue(cmd.contains("kafka.Kafka"));
        assertFalse(cmd.contains("0.0.0.0"));
    }

    @Test
    void versionsAreFilteredFromThePomAndPinnedInRequirements() {
        assertTrue(Versions.KAFKA.matches("\\d+\\.\\d+\\.\\d+"), Versions.KAFKA);
        assertTrue(Versions.APICURIO.matches("\\d+\\.\\d+\\.\\d+"), Versions.APICURIO);
        assertTrue(Versions.MILVUS_LITE.startsWith("3.2."), Versions.MILVUS_LITE);
        assertEquals("1.2.3", Versions.pinned("# x\nfoo==0.1\nmilvus-lite == 1.2.3  # comment\n", "milvus-lite"));
    }

    @Test
    void milvusLaunchGoesThroughTheSignalRestoringWrapperOnLoopback() {
        MilvusServer milvus = new MilvusServer(config);
        String cmd = String.join(" ", milvus.command());
        assertTrue(cmd.contains("tessera_milvus.py server"), cmd);
        assertTrue(cmd.contains("--host 127.0.0.1 --port 29530"), cmd);
        assertEquals("INT", milvus.stopSteps().get(0).signal(), "Milvus Lite must be stopped with SIGINT first");
        assertEquals("1", milvus.environment().get("PYTHONUNBUFFERED"));
    }

    private static Properties props() {
        Properties sys = new Properties();
        sys.setProperty("tessera.root", "/repo");
        return sys;
    }

}
