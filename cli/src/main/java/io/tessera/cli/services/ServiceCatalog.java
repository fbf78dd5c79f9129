package io.tessera.cli.services;

import java.util.List;

/**
 * Every service {@code ./tessera services} manages, in start order. A service issue adds its entry
 * here when its module builds a runnable jar, for example:
 *
 * <pre>{@code
 * new ServiceDefinition("search-api", "services/search-api",
 *         "services/search-api/target/quarkus-app/quarkus-run.jar", 8080, Map.of(), List.of("-Xmx512m"))
 * }</pre>
 */
public final class ServiceCatalog {

    private ServiceCatalog() { }

    public static List<ServiceDefinition> all() {
        return List.of();
    }
}
