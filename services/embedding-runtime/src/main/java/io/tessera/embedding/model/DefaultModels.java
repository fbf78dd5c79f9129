package io.tessera.embedding.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the default model lives and how a process finds it.
 *
 * <p>The store root is, in order: the system property {@code tessera.models.dir}, the environment variable
 * {@code TESSERA_MODELS_DIR}, else {@code <tessera.root>/.tessera/models} ({@code tessera.root} is the system
 * property the launcher sets to the repository root; the working directory when unset). Model modules bundle their
 * model under {@value #CLASSPATH_ROOT} in their jar ({@code tessera-base-model}, which every service has on its class
 * path; {@code tessera-tiny}, which only tests and tools do); {@link #installBundled} copies a bundled model from the
 * classpath into a store when the store does not have it yet, so a service can start from nothing. This library
 * itself bundles no model.
 */
public final class DefaultModels {
    /**
     * The small generated model the tests use where a tiny model is the point, bundled in the {@code tessera-tiny} jar
     * (models/tessera-tiny): a test dependency, never on a service's class path.
     */
    public static final ModelRef TESSERA_TINY = new ModelRef("tessera-tiny", 1);
    /**
     * The default model: real pretrained encoders (MiniLM text, EfficientNet-Lite0 image with a zero-shot bridge),
     * bundled in the {@code tessera-base-model} jar, which every service has on its class path.
     */
    public static final ModelRef TESSERA_BASE = new ModelRef("tessera-base", 1);
    /** What services, the CLI and the demo serve when nothing else is configured. */
    public static final ModelRef DEFAULT = TESSERA_BASE;
    /** Classpath folder holding bundled models in the store layout: {@code <name>/<version>/...}. */
    public static final String CLASSPATH_ROOT = "tessera/models";

    private static final Logger LOG = LoggerFactory.getLogger(DefaultModels.class);

    private DefaultModels() {}

    public static Path defaultStoreRoot() {
        String prop = System.getProperty("tessera.models.dir");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        String env = System.getenv("TESSERA_MODELS_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String root = System.getProperty("tessera.root", "");
        return Path.of(root.isBlank() ? "." : root).resolve(".tessera").resolve("models").toAbsolutePath().normalize();
    }

    private static ModelDirectory openQuietly(LocalModelStore store, ModelRef ref) {
        try {
            return store.open(ref);
        } catch (ModelLoadException e) {
            return null;
        }
    }

    public static LocalModelStore defaultStore() {
        return new LocalModelStore(defaultStoreRoot());
    }

    /** Whether this class path bundles version {@code ref} (so {@link #installBundled} can install it). */
    public static boolean isBundled(ModelRef ref) {
        String manifest = CLASSPATH_ROOT + "/" + ref.name() + "/" + ref.version() + "/" + ModelManifest.FILE_NAME;
        return DefaultModels.class.getClassLoader().getResource(manifest) != null;
    }

    /**
     * A version from the store; a version the store lacks but this class path bundles (tessera-base, tessera-tiny) is
     * installed first, so a service can start from an empty store.
     *
     * @throws ModelStoreException or {@link ModelLoadException} when the store does not have it and it is not bundled
     */
    public static ModelDirectory openOrInstall(ModelStore store, ModelRef ref) {
        // A bundled version is also installed again when the store's copy differs (another build's). A remote store
        // gets it in its local cache: bundled versions travel with the code, never through the object store.
        LocalModelStore local = store instanceof LocalModelStore l ? l
                : store instanceof CachingModelStore c ? c.cache() : null;
        return isBundled(ref) && local != null ? installBundled(local, ref) : store.open(ref);
    }

    /**
     * The version a user means by {@code NAME}, {@code NAME:VERSION} or {@code NAME/VERSION}: the given version, else
     * the newest in the store, else version 1 of a bundled model (tessera-base, tessera-tiny). The one parser of that
     * syntax for the command line, the benchmarks and the services' {@code --model}.
     *
     * @throws IllegalArgumentException naming the store when nothing matches
     */
    public static ModelRef resolve(LocalModelStore store, String spec) {
        int sep = Math.max(spec.lastIndexOf(':'), spec.lastIndexOf('/'));
        if (sep > 0) {
            try {
                return new ModelRef(spec.substring(0, sep), Integer.parseInt(spec.substring(sep + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected NAME or NAME:VERSION, got '" + spec + "'");
            }
        }
        java.util.Optional<Integer> newest = store.versions(spec).stream().max(Integer::compare);
        if (newest.isPresent()) {
            return new ModelRef(spec, newest.get());
        }
        ModelRef bundled = new ModelRef(spec, 1);
        if (isBundled(bundled)) {
            return bundled;
        }
        throw new IllegalArgumentException("the model store " + store.root() + " has no model '" + spec + "'"
                + " (./tessera model list shows what it has)");
    }

    /**
     * tessera-tiny from the default store, installed from the classpath first when the {@code tessera-tiny} jar is
     * on it (tests, tools); without that jar, the store's copy.
     *
     * @throws ModelStoreException or {@link ModelLoadException} when it is neither bundled nor in the store
     */
    public static ModelDirectory tesseraTiny() {
        return openOrInstall(defaultStore(), TESSERA_TINY);
    }

    /**
     * Installs a model bundled on the classpath into the store unless the store already has it, then opens it.
     *
     * @throws ModelStoreException when the classpath has no such model
     */
    public static ModelDirectory installBundled(LocalModelStore store, ModelRef ref) {
        String prefix = CLASSPATH_ROOT + "/" + ref.name() + "/" + ref.version() + "/";
        ClassLoader cl = DefaultModels.class.getClassLoader();
        byte[] manifestBytes;
        try (InputStream in = cl.getResourceAsStream(prefix + ModelManifest.FILE_NAME)) {
            if (in == null) {
                throw new ModelStoreException("model " + ref + " is neither in " + store.describe()
                        + " nor bundled on the classpath (" + prefix + ")", false);
            }
            manifestBytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ModelStoreException("cannot read bundled model " + ref + ": " + e.getMessage(), false, e);
        }
        try {
            ModelManifest manifest = ModelManifest.fromJson(new String(manifestBytes, StandardCharsets.UTF_8));
            if (store.contains(ref)) {
                ModelDirectory existing = openQuietly(store, ref);
                if (existing != null && existing.manifest().files().equals(manifest.files())) {
                    return existing;
                }
                // The bundled default is generated by this build and authoritative for its name and version; a
                // store copy from another build (or a damaged one) is replaced.
                LOG.warn("replacing {} in {}: it differs from the copy bundled with this build",
                        ref, store.root());
                store.remove(ref);
            }
            Path staging = Files.createTempDirectory(Files.createDirectories(store.root()), ".bundled-");
            try {
                for (String rel : manifest.files().keySet()) {
                    try (InputStream in = cl.getResourceAsStream(prefix + rel)) {
                        if (in == null) {
                            throw new ModelLoadException("bundled model " + ref + " lacks " + rel);
                        }
                        Path dst = staging.resolve(rel);
                        Files.createDirectories(dst.getParent());
                        Files.copy(in, dst, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                Files.write(staging.resolve(ModelManifest.FILE_NAME), manifestBytes);
                ModelDirectory installed = store.install(ModelDirectory.open(staging));
                LOG.info("installed bundled model {} into {}", ref, store.root());
                return installed;
            } finally {
                LocalModelStore.deleteRecursively(staging);
            }
        } catch (IOException e) {
            throw new ModelStoreException("cannot install bundled model " + ref + " into " + store.root() + ": "
                    + e.getMessage(), true, e);
        }
    }
}
