package io.tessera.cli.services;

import io.tessera.demo.console.ProgressLine;
import io.tessera.stack.StackConfig;
import io.tessera.stack.StackException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Builds service jars with the repository's Maven wrapper: the ones that are missing, or older than the sources they
 * are built from (the module's own and those of the libraries every service is made of).
 */
public final class ServiceBuilder {

    /** The shared libraries the services are built from: a change there makes every service jar stale. */
    static final List<String> LIBRARIES = List.of("schemas", "services/embedding-runtime",
            "services/media-decoding", "services/vector-store", "services/indexer-core", "services/model-rollout",
            "trainer/training-math", "models/tessera-base");

    /** Beside a service's runnable jar: the ONNX Runtime flavour it was built with ({@code cpu} or {@code cuda}). */
    static final String FLAVOUR_FILE = "tessera-flavour";

    private final StackConfig stack;
    private final ServiceRunner runner;
    private final String flavour;

    /** A builder for the CPU flavour (ONNX Runtime's CPU-only jar). */
    public ServiceBuilder(StackConfig stack) {
        this(stack, "cpu");
    }

    /** @param flavour {@code cpu}, or {@code cuda} for onnxruntime_gpu ({@code -Pcuda}; see {@link Gpu}) */
    public ServiceBuilder(StackConfig stack, String flavour) {
        this.stack = stack;
        this.runner = new ServiceRunner(stack);
        this.flavour = flavour;
    }

    private Path flavourFile(ServiceDefinition s) {
        return runner.jar(s).resolveSibling(FLAVOUR_FILE);
    }

    /** The flavour a service's jar was built with; a jar without the marker came from a plain (CPU) build. */
    private String builtFlavour(ServiceDefinition s) {
        try {
            return Files.isRegularFile(flavourFile(s)) ? Files.readString(flavourFile(s)).strip() : "cpu";
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The services among {@code services} that need a build: jar missing, or sources newer than the jar. */
    public List<ServiceDefinition> needingBuild(Collection<ServiceDefinition> services) {
        return services.stream().filter(s -> {
            Path jar = runner.jar(s);
            if (!Files.isRegularFile(jar) || !builtFlavour(s).equals(flavour)) {
                return true;
            }
            try {
                FileTime built = Files.getLastModifiedTime(jar);
                List<String> sources = new ArrayList<>(LIBRARIES);
                sources.add(s.module());
                return sources.stream().anyMatch(m -> newerThan(stack.repoRoot().resolve(m), built));
            } catch (IOException e) {
                return true;
            }
        }).toList();
    }

    /**
     * Builds {@code services} in one Maven run ({@code -pl <modules> -am package -DskipTests}), printing progress;
     * the full output goes to {@link #buildLog()}. Tests are compiled, not run: a module of the reactor may need another's
     * test jar (tessera-tiny's generator runs with its test classpath resolved, which holds embedding-runtime's test
     * jar), and on a machine whose Maven repository has never seen that jar only this build can make it
     * ({@code -Dmaven.test.skip=true} skips packaging it, and the build failed on a fresh machine).
     *
     * @throws StackException when the build fails (the end of its log is in the message)
     */
    public void build(List<ServiceDefinition> services, PrintStream out, boolean terminal) {
        if (services.isEmpty()) {
            return;
        }
        String modules = services.stream().map(ServiceDefinition::module).collect(Collectors.joining(","));
        Path log = buildLog();
        List<String> cmd = new ArrayList<>(List.of(stack.repoRoot().resolve("mvnw").toString(), "-B", "-q", "-f",
                stack.repoRoot().resolve("pom.xml").toString(), "-pl", modules, "-am", "package",
                "-DskipTests"));
        if (flavour.equals("cuda")) {
            cmd.add("-Pcuda");
        }
        out.printf("building %s (log: %s)%n", services.stream().map(ServiceDefinition::name)
                .collect(Collectors.joining(", ")), log);
        out.flush();
        long begin = System.nanoTime();
        int exit;
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(cmd).directory(stack.repoRoot().toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            ProgressLine building = new ProgressLine(out, terminal, "building", 0);
            while (!p.waitFor(1, TimeUnit.SECONDS)) {
                building.update(0, "");
            }
            building.finish(null);
            exit = p.exitValue();
        } catch (IOException e) {
            throw new StackException.StartupException("cannot run the Maven wrapper: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while building", e);
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        if (exit != 0) {
            throw new StackException("building " + modules + " failed after " + String.format("%.0fs", seconds)
                    + "; the end of " + log + ":\n" + tail(log, 25));
        }
        List<String> missing = services.stream().filter(s -> !Files.isRegularFile(runner.jar(s)))
                .map(s -> runner.jar(s).toString()).toList();
        if (!missing.isEmpty()) {
            throw new StackException("the build succeeded but did not produce " + String.join(", ", missing));
        }
        for (ServiceDefinition s : services) {
            try {
                Files.writeString(flavourFile(s), flavour + "\n");
            } catch (IOException e) {
                throw new StackException("cannot record the build flavour of " + s.name() + ": " + e.getMessage());
            }
        }
        out.printf("  built in %.0fs%n", seconds);
        out.flush();
    }

    public Path buildLog() {
        return stack.logsDir().resolve("services").resolve("build.log");
    }

    /** Whether any file under {@code path}'s {@code src/main} (or {@code path} itself, a file) is newer than {@code than}. */
    static boolean newerThan(Path path, FileTime than) {
        if (Files.isRegularFile(path)) {
            return lastModified(path).compareTo(than) > 0;
        }
        List<Path> roots = List.of(path.resolve("pom.xml"), path.resolve("src/main"));
        for (Path root : roots) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                if (files.filter(Files::isRegularFile).anyMatch(f -> lastModified(f).compareTo(than) > 0)) {
                    return true;
                }
            } catch (IOException | UncheckedIOException e) {
                return true;
            }
        }
        return false;
    }

    private static FileTime lastModified(Path f) {
        try {
            return Files.getLastModifiedTime(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
