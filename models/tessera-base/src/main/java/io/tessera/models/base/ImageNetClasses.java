package io.tessera.models.base;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The 1,000 ImageNet-1k class names, in class-index order, as torchvision publishes them
 * ({@code _IMAGENET_CATEGORIES} in {@code torchvision/models/_meta.py}, BSD-3-Clause).
 *
 * <p>The names are parsed from the torchvision wheel rather than copied into this source tree; the build runs
 * {@link #main} to write them to the classpath resource {@value #RESOURCE}, which {@link #load()} reads.
 */
public final class ImageNetClasses {
    public static final int COUNT = 1000;
    /** The classpath resource the build writes (one name a line, index order). */
    public static final String RESOURCE = "imagenet_classes.txt";
    static final String META_PY = "torchvision/models/_meta.py";

    private static final Pattern LIST = Pattern.compile("_IMAGENET_CATEGORIES\\s*=\\s*\\[(.*?)\\]", Pattern.DOTALL);
    // Each element of the literal: a double- or single-quoted string without escapes (torchvision's have none;
    // one with a backslash would not match and is caught by the count check).
    private static final Pattern ITEM = Pattern.compile("\"([^\"\\\\\\n]*)\"|'([^'\\\\\\n]*)'");
    private static final Pattern LEFTOVER = Pattern.compile("[\\s,]*");

    private static volatile List<String> loaded;

    private ImageNetClasses() {}

    /** The class names from the classpath resource written at build time. */
    public static List<String> load() {
        List<String> names = loaded;
        if (names == null) {
            try (InputStream in = ImageNetClasses.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("no " + RESOURCE + " next to " + ImageNetClasses.class.getName()
                            + " on the classpath (written by the build from the torchvision wheel)");
                }
                names = checked(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList(), RESOURCE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            loaded = names;
        }
        return names;
    }

    /** Parses the names from a torchvision wheel (any platform's: {@value #META_PY} is pure Python). */
    public static List<String> fromTorchvisionWheel(Path wheel) throws IOException {
        try (ZipFile zip = new ZipFile(wheel.toFile())) {
            ZipEntry entry = zip.getEntry(META_PY);
            if (entry == null) {
                throw new IOException(wheel + " has no " + META_PY + " (torchvision 0.13 or newer has it)");
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return parseTorchvisionMeta(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    /** Parses the {@code _IMAGENET_CATEGORIES = [...]} list literal out of {@code _meta.py}'s source. */
    public static List<String> parseTorchvisionMeta(String pythonSource) {
        Matcher list = LIST.matcher(pythonSource);
        if (!list.find()) {
            throw new IllegalArgumentException("no _IMAGENET_CATEGORIES list in the source");
        }
        String body = list.group(1);
        List<String> names = new ArrayList<>(COUNT);
        Matcher item = ITEM.matcher(body);
        int end = 0;
        while (item.find()) {
            // Only separators between the strings: anything else (a comment, an escape) fails loudly rather than
            // shifting the class indices.
            if (!LEFTOVER.matcher(body.substring(end, item.start())).matches()) {
                throw new IllegalArgumentException("unexpected text in _IMAGENET_CATEGORIES: "
                        + body.substring(end, item.start()).strip());
            }
            names.add(item.group(1) != null ? item.group(1) : item.group(2));
            end = item.end();
        }
        if (!LEFTOVER.matcher(body.substring(end)).matches()) {
            throw new IllegalArgumentException("unexpected text in _IMAGENET_CATEGORIES: " + body.substring(end).strip());
        }
        return checked(names, "_IMAGENET_CATEGORIES");
    }

    private static List<String> checked(List<String> names, String source) {
        if (names.size() != COUNT) {
            throw new IllegalArgumentException(source + " has " + names.size() + " class names, expected " + COUNT);
        }
        return List.copyOf(names);
    }

    /** Writes the names one a line. */
    public static void write(List<String> names, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, String.join("\n", names) + "\n", StandardCharsets.UTF_8);
    }

    /** {@code ImageNetClasses --torchvision-wheel WHEEL --out FILE}: the build step that writes the resource. */
    public static void main(String[] args) throws IOException {
        Path wheel = null;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--torchvision-wheel" -> wheel = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException(
                        "usage: ImageNetClasses --torchvision-wheel WHEEL --out FILE; unknown argument " + args[i]);
            }
        }
        if (wheel == null || out == null) {
            throw new IllegalArgumentException("usage: ImageNetClasses --torchvision-wheel WHEEL --out FILE");
        }
        write(fromTorchvisionWheel(wheel), out);
    }
}
