package io.tessera.media.internal;

import java.nio.file.Path;

/**
 * Where native libraries (JavaCPP) and font caches (PDFBox) are written: the system property
 * {@code tessera.media.cachedir}, else the environment variable {@code TESSERA_MEDIA_CACHEDIR},
 * else {@code ~/.cache/tessera}. Never the working directory or the libraries' own defaults in $HOME.
 */
final class CacheDirs {

    private CacheDirs() {
    }

    static Path base() {
        String configured = System.getProperty("tessera.media.cachedir");
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("TESSERA_MEDIA_CACHEDIR");
        }
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        return Path.of(System.getProperty("user.home"), ".cache", "tessera");
    }
}
