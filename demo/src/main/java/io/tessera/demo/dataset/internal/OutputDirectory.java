package io.tessera.demo.dataset.internal;

import io.tessera.demo.dataset.InvalidDatasetSpecException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The directory a dataset is written to. It must be new, empty, or hold only what an earlier generation wrote
 * (which is then replaced): the generator never deletes anything it did not make.
 */
public final class OutputDirectory {

    public static final String IMAGES = "images";
    public static final String VIDEOS = "videos";
    public static final String FRAMES = "videos/frames";
    public static final String DOCUMENTS = "documents";
    public static final String PAGES = "documents/pages";
    public static final String TEXTS = "texts";

    private final Path root;

    private OutputDirectory(Path root) {
        this.root = root;
    }

    public static OutputDirectory prepare(Path root, Set<String> ownFiles) throws IOException {
        Set<String> own = new java.util.HashSet<>(ownFiles);
        own.addAll(List.of(IMAGES, VIDEOS, DOCUMENTS, TEXTS));
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new InvalidDatasetSpecException(root + " exists and is not a directory: choose a directory for --out");
        }
        if (Files.isDirectory(root)) {
            try (Stream<Path> entries = Files.list(root)) {
                List<Path> list = entries.toList();
                for (Path entry : list) {
                    if (!own.contains(entry.getFileName().toString())) {
                        throw new InvalidDatasetSpecException(root + " holds " + entry.getFileName()
                                + ", which the dataset generator did not write: choose a new or empty directory for --out");
                    }
                }
                for (Path entry : list) {
                    deleteRecursively(entry);
                }
            }
        }
        for (String dir : List.of(IMAGES, FRAMES, PAGES, TEXTS)) {
            Files.createDirectories(root.resolve(dir));
        }
        return new OutputDirectory(root);
    }

    private static void deleteRecursively(Path path) throws IOException {
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    public Path root() {
        return root;
    }

    public Path resolve(String relative) {
        return root.resolve(relative);
    }

    /** Writes {@code bytes} to {@code relative} and returns its reference (path, size, SHA-256). */
    public Written write(String relative, byte[] bytes) throws IOException {
        Files.write(root.resolve(relative), bytes);
        return new Written(relative, bytes.length, sha256(bytes));
    }

    /** The reference of a file something else wrote. */
    public Written describe(String relative) throws IOException {
        Path file = root.resolve(relative);
        MessageDigest digest = digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return new Written(relative, Files.size(file), HexFormat.of().formatHex(digest.digest()));
    }

    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public record Written(String file, long sizeBytes, String sha256) {
    }
}
