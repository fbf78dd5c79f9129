package io.tessera.embedding.internal;

import io.tessera.embedding.model.DefaultModels;
import java.nio.file.Path;

/**
 * Switches off every phone-home of the native libraries and keeps their extracted files in the project: must run
 * before any DJL or ONNX Runtime class is loaded, so every entry point calls {@link #configure()} first.
 *
 * <p>DJL reads {@code ai.djl.offline} and {@code OPT_OUT_TRACKING} from system properties (or the environment)
 * when its classes initialise; {@code DJL_CACHE_DIR} and {@code jna.tmpdir} decide where its tokenizer native
 * library is unpacked (default: the user's home). ONNX Runtime's telemetry is switched off on the environment
 * itself ({@link OrtRuntime}).
 */
public final class OfflineNatives {
    private static volatile boolean done;

    private OfflineNatives() {}

    public static synchronized void configure() {
        if (done) {
            return;
        }
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        Path cache = DefaultModels.defaultStoreRoot().toAbsolutePath().getParent().resolve("cache");
        setIfAbsent("DJL_CACHE_DIR", cache.resolve("djl").toString());
        setIfAbsent("ENGINE_CACHE_DIR", cache.resolve("djl").toString());
        setIfAbsent("jna.tmpdir", cache.resolve("jna").toString());
        done = true;
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null && System.getenv(key) == null) {
            System.setProperty(key, value);
        }
    }
}
