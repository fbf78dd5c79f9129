package io.tessera.rollout;

import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.RuntimeConfig;
import io.tessera.embedding.model.DefaultModels;
import io.tessera.embedding.model.LocalModelStore;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.model.ModelRef;
import io.tessera.embedding.model.ModelVersions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** tessera-tiny v1 (bundled) and a v2 derived from it, in a model store under target/. */
final class TestModels {

    static final String MODEL = "tessera-tiny";
    private static LocalModelStore store;

    private TestModels() {
    }

    static synchronized LocalModelStore store() {
        if (store == null) {
            try {
                Path root = Files.createDirectories(Path.of("target", "rollout-models").toAbsolutePath());
                store = new LocalModelStore(root);
                ModelDirectory v1 = DefaultModels.installBundled(store, DefaultModels.TESSERA_TINY);
                for (int v = 2; v <= 3; v++) {
                    if (!store.contains(new ModelRef(MODEL, v))) {
                        Path staging = Files.createTempDirectory(root, ".derive-");
                        store.install(ModelVersions.derive(v1, v, Map.of(), staging.resolve("m")));
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return store;
    }

    static RuntimeConfig runtimeConfig() {
        return RuntimeConfig.defaults().withWarmUp(false);
    }

    static EmbeddingRuntime start(int version) {
        return EmbeddingRuntime.start(store().open(new ModelRef(MODEL, version)), runtimeConfig());
    }
}
