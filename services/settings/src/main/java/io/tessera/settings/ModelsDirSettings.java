package io.tessera.settings;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code tessera.models.dir} ({@code TESSERA_MODELS_DIR}): the local model directory, the store itself or the checked
 * cache of {@code tessera.model-store.uri}. The launchers and the command line use the same name; unset, it is
 * {@code <tessera.root>/.tessera/models} (io.tessera.embedding.model.DefaultModels).
 */
@ConfigMapping(prefix = "tessera.models")
public interface ModelsDirSettings {

    Optional<Path> dir();
}
