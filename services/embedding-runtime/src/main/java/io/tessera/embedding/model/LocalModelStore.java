package io.tessera.embedding.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A model store in a local directory: {@code <root>/<name>/<version>/}. Installs are atomic (copied beside the
 * target, then renamed), so a reader never sees half a model. Each model also gets {@code <root>/<name>/index.json}
 * listing its versions, which makes a plain static file server over the root usable as {@link HttpModelFiles}.
 */
public final class LocalModelStore implements ModelStore {
    public static final String INDEX_FILE = "index.json";

    private final Path root;

    public LocalModelStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path directoryOf(ModelRef ref) {
        return root.resolve(ref.name()).resolve(Integer.toString(ref.version()));
    }

    public boolean contains(ModelRef ref) {
        return Files.isRegularFile(directoryOf(ref).resolve(ModelManifest.FILE_NAME));
    }

    @Override
    public ModelDirectory open(ModelRef ref) {
        if (!contains(ref)) {
            throw new ModelStoreException("model " + ref + " is not in the store at " + root + " (versions there: "
                    + versions(ref.name()) + ")", false);
        }
        ModelDirectory dir = ModelDirectory.open(directoryOf(ref));
        if (!dir.ref().equals(ref)) {
            throw new ModelLoadException("the store directory " + directoryOf(ref) + " holds " + dir.ref()
                    + ", not " + ref);
        }
        return dir;
    }

    @Override
    public List<Integer> versions(String modelName) {
        Path dir = root.resolve(new ModelRef(modelName, 1).name());
        List<Integer> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path c : children) {
                String n = c.getFileName().toString();
                if (n.matches("[1-9][0-9]{0,8}") && Files.isRegularFile(c.resolve(ModelManifest.FILE_NAME))) {
                    out.add(Integer.parseInt(n));
                }
            }
        } catch (IOException e) {
            throw new ModelStoreException("cannot list " + dir + ": " + e.getMessage(), true, e);
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    @Override
    public java.util.Optional<java.net.URI> locationOf(ModelRef ref) {
        return java.util.Optional.of(directoryOf(ref).toUri());
    }

    @Override
    public String describe() {
        return "local model store at " + root;
    }

    /**
     * Copies a checked model directory into the store. Installing the same bytes again is a no-op; installing
     * different bytes under an existing name and version is refused (versions are immutable).
     */
    public ModelDirectory install(ModelDirectory source) {
        ModelRef ref = source.ref();
        Path target = directoryOf(ref);
        if (contains(ref)) {
            ModelDirectory existing = open(ref);
            if (existing.manifest().files().equals(source.manifest().files())) {
                return existing;
            }
            throw new ModelStoreException("model " + ref + " is already in " + root
                    + " with different files; versions are immutable, publish a new version", false);
        }
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempDirectory(target.getParent(), "." + ref.version() + ".installing-");
            try {
                copyFiles(source.root(), tmp, source.manifest().files());
                Files.copy(source.root().resolve(ModelManifest.FILE_NAME), tmp.resolve(ModelManifest.FILE_NAME));
                ModelDirectory.open(tmp);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException raced) {
                    // Services that start together install the same model at once. rename(2) onto the directory
                    // another process has just moved into place fails (EEXIST or ENOTEMPTY; the JDK maps only the
                    // first to FileAlreadyExistsException): theirs wins if it holds the same files.
                    if (contains(ref)) {
                        return install(source);
                    }
                    throw raced;
                }
            } finally {
                deleteRecursively(tmp);
            }
        } catch (IOException e) {
            throw new ModelStoreException("cannot install " + ref + " into " + root + ": " + e.getMessage(), true, e);
        }
        writeIndex(ref.name());
        return open(ref);
    }

    /**
     * Deletes a version (renamed aside first, so readers see it whole or not at all). Meant for regenerated
     * defaults and operators, not for routine use: published versions are immutable.
     */
    public void remove(ModelRef ref) {
        Path dir = directoryOf(ref);
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Path aside = Files.createTempDirectory(dir.getParent(), "." + ref.version() + ".removing-");
            Files.delete(aside);
            Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
            deleteRecursively(aside);
        } catch (IOException e) {
            throw new ModelStoreException("cannot remove " + ref + " from " + root + ": " + e.getMessage(), true, e);
        }
        writeIndex(ref.name());
    }

    /** Creates the directory a new version will be written into (by a generator or a trainer), then sealed. */
    public Path prepareNew(ModelRef ref) {
        Path target = directoryOf(ref);
        if (Files.exists(target)) {
            throw new ModelStoreException("model " + ref + " already exists in " + root, false);
        }
        try {
            return Files.createDirectories(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rewrites {@code <root>/<name>/index.json} from the versions present. */
    public void writeIndex(String modelName) {
        ObjectNode index = ModelManifest.json().createObjectNode();
        index.put("name", modelName);
        ArrayNode versions = index.putArray("versions");
        versions(modelName).forEach(versions::add);
        Path file = root.resolve(modelName).resolve(INDEX_FILE);
        try {
            // A temporary file of its own: processes that install at once must not share (and steal) one.
            Path tmp = Files.createTempFile(file.getParent(), "." + INDEX_FILE + ".", ".tmp");
            try {
                Files.writeString(tmp, index.toPrettyString() + "\n");
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new ModelStoreException("cannot write " + file + ": " + e.getMessage(), true, e);
        }
    }

    static void copyFiles(Path from, Path to, Map<String, String> files) throws IOException {
        for (String rel : files.keySet()) {
            Path dst = to.resolve(rel);
            Files.createDirectories(dst.getParent());
            Files.copy(from.resolve(rel), dst, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
