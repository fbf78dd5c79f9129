package io.tessera.settings;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Makes a misspelt {@code tessera.*} key an error in every service. SmallRye Config already rejects an unknown key
 * under a root a service maps ({@code tessera.milvus.urii}); this rejects a key under no root any Tessera component
 * reads ({@code tessera.milvs.uri}), which SmallRye cannot see because no mapping claims it. Hand-written: SmallRye
 * validates per mapping root, and nothing in it knows the set of roots of a whole system of services.
 *
 * <p>Environment variables are not checked: a pod's environment is shared by design and a variable name cannot be
 * mapped back to one key (SmallRye skips them for the same reason).
 */
public final class TesseraNamespace {

    /**
     * The first segment after {@code tessera.} of every key any Tessera component reads. Shared concerns (this
     * module), then each service's own roots, then the launchers' and test harnesses' system properties.
     */
    public static final Set<String> ROOTS = Set.of(
            "topics", "kafka", "registry", "milvus", "model", "models", "model-store", "fetch", "limits", "embedding",
            // indexer-core
            "modality", "service", "pipeline", "video", "document", "text", "rollout",
            // media-catalog, search-api, the trainer
            "catalog", "search", "trainer",
            // launchers (tessera.root: the repository), the media decoder's native cache, the tests' harness
            "root", "media", "test", "stack", "bench", "python", "chromium", "ocr", "log", "helm", "base");

    private TesseraNamespace() {
    }

    /** Throws IllegalStateException naming every {@code tessera.*} key from a file or system property under no root. */
    public static void requireKnownRoots(SmallRyeConfig config) {
        Set<String> unknown = unknownKeys(config.getConfigSources());
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("Unknown configuration " + (unknown.size() == 1 ? "key " : "keys ") + unknown
                    + ": no Tessera service reads tessera." + "<" + String.join("|", new TreeSet<>(ROOTS)) + ">.*"
                    + " other than these. Check the spelling (docs/operations.md lists every key).");
        }
    }

    static Set<String> unknownKeys(Iterable<ConfigSource> sources) {
        Set<String> unknown = new TreeSet<>();
        for (ConfigSource source : sources) {
            if (source instanceof EnvConfigSource) {
                continue;
            }
            for (String name : source.getPropertyNames()) {
                String key = withoutProfile(name);
                if (key.startsWith("tessera.")) {
                    String rest = key.substring("tessera.".length());
                    int dot = rest.indexOf('.');
                    if (!ROOTS.contains(dot < 0 ? rest : rest.substring(0, dot))) {
                        unknown.add(key);
                    }
                }
            }
        }
        return unknown;
    }

    /** {@code %prod.tessera.x} is {@code tessera.x} in a profile. */
    private static String withoutProfile(String name) {
        if (name.startsWith("%")) {
            int dot = name.indexOf('.');
            return dot < 0 ? name : name.substring(dot + 1);
        }
        return name;
    }
}
