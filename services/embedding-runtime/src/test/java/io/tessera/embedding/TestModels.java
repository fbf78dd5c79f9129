package io.tessera.embedding;

import io.tessera.embedding.batch.BatcherConfig;
import io.tessera.embedding.model.DefaultModels;
import io.tessera.embedding.model.LocalModelStore;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.model.ModelRef;
import io.tessera.embedding.tiny.TinyModelGenerator;
import io.tessera.embedding.tiny.TinyModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Models and settings shared by the tests: generated once per JVM under target/test-work. */
public final class TestModels {
    private static ModelDirectory tiny;
    private static ModelDirectory clipShaped;

    private TestModels() {}

    public static Path work() {
        return Path.of(System.getProperty("tessera.test.work", "target/test-work")).toAbsolutePath();
    }

    /** A fresh, empty directory under the test work dir. */
    public static Path freshDir(String prefix) throws java.io.IOException {
        Files.createDirectories(work());
        return Files.createTempDirectory(work(), prefix);
    }

    /** tessera-tiny, installed from the classpath (the build put it there) into a test store. */
    public static synchronized ModelDirectory tiny() {
        if (tiny == null) {
            tiny = DefaultModels.installBundled(new LocalModelStore(work().resolve("models")),
                    DefaultModels.TESSERA_TINY);
        }
        return tiny;
    }

    /** A model with an exported CLIP ViT-B/32's names and shapes. */
    public static synchronized ModelDirectory clipShaped() {
        if (clipShaped == null) {
            TinyModelSpec spec = TinyModelSpec.clipShaped();
            Path dir = work().resolve("generated").resolve(spec.name()).resolve("1");
            clipShaped = TinyModelGenerator.generateInto(spec, dir);
        }
        return clipShaped;
    }

    public static ModelRef tinyRef() {
        return DefaultModels.TESSERA_TINY;
    }

    /** CPU, one intra-op thread (tests share two cores with other builds), small batches, short waits. */
    public static RuntimeConfig cpu() {
        return RuntimeConfig.defaults().withDevice(Device.CPU).withThreads(1, 1)
                .withBatching(new BatcherConfig(8, Duration.ofMillis(2), 256, Duration.ofSeconds(5), 1));
    }
}
