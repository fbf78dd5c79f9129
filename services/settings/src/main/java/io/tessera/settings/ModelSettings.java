package io.tessera.settings;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code tessera.model.*}: which model a service serves (indexers, search-api) or improves (the trainer). */
@ConfigMapping(prefix = "tessera.model")
public interface ModelSettings {

    @WithDefault("tessera-base")
    String name();

    /**
     * The version used while models.published has no PROMOTED version of the model; the default model's version 1 is
     * installed from the classpath when missing.
     */
    @WithDefault("1")
    int version();
}
