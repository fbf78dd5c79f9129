package io.tessera.embedding;

import io.tessera.embedding.batch.BatcherConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Work directories and settings shared by the tests (published in this module's test jar). The tests that need a
 * complete two-tower model live in models/tessera-tiny, next to the generator of that model (TinyTestModels).
 */
public final class TestModels {
    private TestModels() {}

    public static Path work() {
        return Path.of(System.getProperty("tessera.test.work", "target/test-work")).toAbsolutePath();
    }

    /** A fresh, empty directory under the test work dir. */
    public static Path freshDir(String prefix) throws java.io.IOException {
        Files.createDirectories(work());
        return Files.createTempDirectory(work(), prefix);
    }

    /** CPU, one intra-op thread (tests share two cores with other builds), small batches, short waits. */
    public static RuntimeConfig cpu() {
        return RuntimeConfig.defaults().withDevice(Device.CPU).withThreads(1, 1)
                .withBatching(new BatcherConfig(8, Duration.ofMillis(2), 256, Duration.ofSeconds(5), 1));
    }
}
