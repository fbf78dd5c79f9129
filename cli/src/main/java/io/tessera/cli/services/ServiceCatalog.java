package io.tessera.cli.services;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Every service {@code ./tessera services} manages, in start order: media-catalog first (it creates the topics the
 * others read), search-api last. A service whose module has no sources yet is listed but not
 * {@linkplain #isAvailable available}: the commands say so instead of failing on a missing build.
 */
public final class ServiceCatalog {

    /** Quarkus' runnable jar inside a module's build output. */
    static final String QUARKUS_RUN_JAR = "target/quarkus-app/quarkus-run.jar";

    private static final List<String> SMALL_HEAP = List.of("-Xmx384m", "-XX:+UseSerialGC");
    private static final List<String> INDEXER_HEAP = List.of("-Xmx768m", "-XX:+UseSerialGC");

    private static final List<ServiceDefinition> ALL = List.of(
            quarkus("media-catalog", "services/media-catalog", 8085, SMALL_HEAP),
            quarkus("image-indexer", "services/image-indexer", 8091, INDEXER_HEAP),
            quarkus("video-indexer", "services/video-indexer", 8092, INDEXER_HEAP),
            quarkus("document-indexer", "services/document-indexer", 8093, INDEXER_HEAP),
            quarkus("text-indexer", "services/text-indexer", 8094, INDEXER_HEAP),
            quarkus("trainer", "trainer/trainer-service", 8086, List.of("-Xmx1536m", "-XX:+UseSerialGC")),
            quarkus("search-api", "services/search-api", 8080, List.of("-Xmx512m", "-XX:+UseSerialGC")));

    private ServiceCatalog() { }

    /** Every service, available or not, in start order. */
    public static List<ServiceDefinition> all() {
        return ALL;
    }

    /** The services whose modules exist in this checkout, in start order. */
    public static List<ServiceDefinition> available(Path repoRoot) {
        return ALL.stream().filter(s -> isAvailable(repoRoot, s)).toList();
    }

    /** A service is available once its module has main sources (code or configuration) to build. */
    public static boolean isAvailable(Path repoRoot, ServiceDefinition service) {
        return Files.isDirectory(repoRoot.resolve(service.module()).resolve("src/main"));
    }

    public static ServiceDefinition byName(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown service '" + name + "' (known: "
                        + String.join(", ", ALL.stream().map(ServiceDefinition::name).toList()) + ")"));
    }

    private static ServiceDefinition quarkus(String name, String module, int port, List<String> jvm) {
        return new ServiceDefinition(name, module, module + "/" + QUARKUS_RUN_JAR, port, Map.of(), jvm);
    }
}
