package io.tessera.models.tiny;

import io.tessera.embedding.TestModels;
import io.tessera.embedding.model.DefaultModels;
import io.tessera.embedding.model.LocalModelStore;
import io.tessera.embedding.model.ModelDirectory;
import java.nio.file.Path;

/**
 * The generated models the tests use, once per JVM under target/test-work: tessera-tiny as this module's build
 * bundles it, and the CLIP-shaped variant. Work directories and runtime settings come from the embedding runtime's
 * test jar ({@link TestModels}).
 */
public final class TinyTestModels {
    private static ModelDirectory tiny;
    private static ModelDirectory clipShaped;

    private TinyTestModels() {}

    /** tessera-tiny, installed from the classpath (this module's build put it there) into a test store. */
    public static synchronized ModelDirectory tiny() {
        if (tiny == null) {
            tiny = DefaultModels.installBundled(new LocalModelStore(TestModels.work().resolve("models")),
                    DefaultModels.TESSERA_TINY);
        }
        return tiny;
    }

    /** A model with an exported CLIP ViT-B/32's names and shapes. */
    public static synchronized ModelDirectory clipShaped() {
        if (clipShaped == null) {
            TinyModelSpec spec = TinyModelSpec.clipShaped();
            Path dir = TestModels.work().resolve("generated").resolve(spec.name()).resolve("1");
            clipShaped = TinyModelGenerator.generateInto(spec, dir);
        }
        return clipShaped;
    }
}
