package io.tessera.settings;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** {@code tessera.registry.*}: the Confluent-compatible schema registry every service reads its contracts from. */
@ConfigMapping(prefix = "tessera.registry")
public interface RegistrySettings {

    /** The registry's Confluent-compatible API. */
    @WithDefault("http://127.0.0.1:8081/apis/ccompat/v7")
    String url();

    /** Register output schemas on first use (dev, test, the local stack); off in production. */
    @WithDefault("true")
    boolean autoRegister();

    /** {@code user:password} for a registry behind basic auth (from a secret). */
    Optional<String> basicAuthUserInfo();
}
