package io.tessera.catalog.internal.runtime;

import io.tessera.catalog.CatalogTopics;
import io.tessera.events.KafkaConnection;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicProvisionerTest {

    /** Kafka that never answers: the provisioner keeps asking until its deadline, then says what to do. */
    @Test
    void kafkaThatNeverAnswersIsRetriedUntilTheDeadlineThenNamed() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        TopicProvisioner provisioner = new TopicProvisioner(KafkaConnection.plaintext("127.0.0.1:" + port),
                CatalogTopics.withPrefix("t."), Optional.of(1), Optional.of((short) 1), 1 << 20);
        long start = System.nanoTime();
        assertThatThrownBy(() -> provisioner.ensureTopics(true, Duration.ofSeconds(3)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Kafka at 127.0.0.1:" + port + " did not answer within PT3S")
                .hasMessageContaining("./tessera stack up");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(40));
    }
}
