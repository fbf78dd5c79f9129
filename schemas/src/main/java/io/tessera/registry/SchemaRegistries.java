package io.tessera.registry;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One registry client per configuration per process, so every serializer and deserializer of a service shares one
 * cache of ids and schemas (and one HTTP connection pool) instead of each channel fetching them again.
 */
public final class SchemaRegistries {

    private static final Map<RegistryConfig, SchemaRegistry> SHARED = new ConcurrentHashMap<>();

    private SchemaRegistries() {
    }

    /**
     * The process-wide registry for a configuration: an {@link InMemorySchemaRegistry} scope for {@code mock://scope},
     * otherwise a {@link SchemaRegistryClient} created on first use and kept for the life of the process.
     */
    public static SchemaRegistry shared(RegistryConfig config) {
        if (config.isMock()) {
            URI uri = config.urls().get(0);
            String scope = uri.getAuthority() != null ? uri.getAuthority() : uri.getSchemeSpecificPart();
            return InMemorySchemaRegistry.forScope(scope);
        }
        return SHARED.computeIfAbsent(config, SchemaRegistryClient::new);
    }
}
