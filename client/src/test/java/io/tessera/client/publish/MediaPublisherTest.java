package io.tessera.client.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.events.KafkaConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the publisher decides before it reaches for the broker or the store, against addresses where nothing
 * listens. Publishing itself runs against the local stack in the CLI's PublishCommandIT.
 */
class MediaPublisherTest {

    private static final byte[] PDF = "%PDF-1.4 and then some more bytes".getBytes();

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static MediaPublisher.Builder publisher() throws Exception {
        return MediaPublisher.builder(KafkaConnection.plaintext("127.0.0.1:" + freePort()),
                "http://127.0.0.1:" + freePort() + "/apis/ccompat/v7");
    }

    @Test
    void filesThatCannotBePublishedAreReportedWithoutContactingKafka(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("archive.zip"), new byte[] {'P', 'K', 3, 4});
        Files.write(dir.resolve("empty.png"), new byte[0]);
        long started = System.nanoTime();
        try (MediaPublisher p = publisher().build()) {
            MediaPublisher.Result r = p.publish("acme", List.of(dir), MediaPublisher.Item.NONE);
            assertThat(r.published()).isEmpty();
            assertThat(r.skipped()).extracting(MediaPublisher.Skipped::reason)
                    .anySatisfy(reason -> assertThat(reason).contains("unknown content type"))
                    .anySatisfy(reason -> assertThat(reason).contains("is empty"));
        }
        // A producer would have blocked for its 15 s metadata wait on the dead address.
        assertThat(System.nanoTime() - started).isLessThan(5_000_000_000L);
    }

    @Test
    void aMediaIdIsForOneFileOnly(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("a.pdf"), PDF);
        Files.write(dir.resolve("b.pdf"), PDF);
        try (MediaPublisher p = publisher().build()) {
            assertThatThrownBy(() -> p.publish("acme", List.of(dir), new MediaPublisher.Item(null, null, "my-id")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("a mediaId needs exactly one file, got 2");
            assertThatThrownBy(() -> p.publish(" ", List.of(dir), MediaPublisher.Item.NONE))
                    .hasMessageContaining("tenant");
        }
    }

    @Test
    void aStoreThatCannotBeReachedStopsThePublishBeforeAnythingIsSent(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("big.pdf"), PDF);
        ObjectStoreTarget dead = new ObjectStoreTarget(URI.create("http://127.0.0.1:" + freePort()), "tessera",
                "us-east-1", "tessera", "secret");
        try (MediaPublisher p = publisher().inlineMaxBytes(8).uploadTo(dead).build()) {
            assertThatThrownBy(() -> p.publish("acme", List.of(dir), MediaPublisher.Item.NONE))
                    .isInstanceOf(UploadFailedException.class)
                    .hasMessageContaining("could not upload " + dir.resolve("big.pdf").toRealPath())
                    .hasMessageContaining(dead.describe());
        }
    }

    @Test
    void aTargetNeedsBothKeysOrNeither() {
        assertThatThrownBy(() -> new ObjectStoreTarget(null, "tessera", "us-east-1", "key", null))
                .hasMessageContaining("both the S3 access key and the secret key");
        assertThat(new ObjectStoreTarget(null, "tessera", "eu-west-1", null, null).describe())
                .isEqualTo("AWS S3 eu-west-1 bucket tessera");
    }
}
