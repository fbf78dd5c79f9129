package io.tessera.stack.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Files shipped inside this jar under io/tessera/stack/. */
final class Resources {

    private Resources() { }

    static byte[] bytes(String name) {
        try (InputStream in = Resources.class.getResourceAsStream("/io/tessera/stack/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource io/tessera/stack/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    /** Writes the resource to {@code target} unless an identical file is already there. */
    static Path extract(String name, Path target) {
        byte[] content = bytes(name);
        try {
            if (Files.isRegularFile(target) && java.util.Arrays.equals(Files.readAllBytes(target), content)) {
                return target;
            }
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
            Files.write(tmp, content);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
