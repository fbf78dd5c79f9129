package io.tessera.helm;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the repository this module tests. */
final class Repo {
    private Repo() {
    }

    static Path root() {
        String configured = System.getProperty("tessera.root");
        Path root = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of("").toAbsolutePath().getParent();
        if (!Files.isDirectory(root.resolve("helm/tessera"))) {
            throw new IllegalStateException("not the Tessera repository root (no helm/tessera): " + root
                    + "; run the tests through Maven, which sets -Dtessera.root");
        }
        return root.toAbsolutePath().normalize();
    }

    static Path chart() {
        return root().resolve("helm/tessera");
    }

    static Path configKeys() {
        return chart().resolve("config-keys.yaml");
    }

    static Path dockerDir() {
        return root().resolve("infra/docker");
    }

    static Path composeFile() {
        return root().resolve("infra/compose.yaml");
    }
}
