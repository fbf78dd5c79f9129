package io.tessera.helm;

import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The helm binary the tests drive: built once from the Go module proxy at the pinned version (the POM's
 * helm.version) and cached under .tessera/tools/helm-&lt;version&gt; (git-ignored). Without Go on the PATH the
 * tests that need helm are skipped with a loud message, never silently passed.
 */
final class Helm {
    /** Helm's own module path; its Makefile stamps these variables, so we do too (else it claims Kubernetes 1.20). */
    private static final String MODULE = "helm.sh/helm/v3";

    private static volatile Helm instance;
    private static volatile String unavailableReason;
    private static boolean bannerPrinted;

    private final Path binary;
    private final String kubeVersion;

    private Helm(Path binary, String kubeVersion) {
        this.binary = binary;
        this.kubeVersion = kubeVersion;
    }

    /** The helm binary, or a skipped test with a loud message when it cannot be had. */
    static synchronized Helm require() {
        if (instance == null && unavailableReason == null) {
            resolve();
        }
        if (instance == null) {
            if (!bannerPrinted) {
                bannerPrinted = true;
                System.err.println("""

                        ############################################################################
                        ##  HELM CHART VALIDATION SKIPPED: %s
                        ##  helm lint/template and the Kubernetes-type checks of helm/tessera did NOT run.
                        ##  Install Go (https://go.dev) so the build can `go install` helm %s, or pass
                        ##  -Dtessera.helm.binary=/path/to/helm.
                        ############################################################################
                        """.formatted(unavailableReason, version()));
            }
            abort("HELM UNAVAILABLE, chart not validated: " + unavailableReason);
        }
        return instance;
    }

    static String version() {
        return System.getProperty("tessera.helm.version", "v3.19.5");
    }

    private static void resolve() {
        String kube = System.getProperty("tessera.helm.kubeVersion", "1.34.0");
        String explicit = System.getProperty("tessera.helm.binary");
        if (explicit != null && !explicit.isBlank()) {
            instance = new Helm(Path.of(explicit), kube);
            return;
        }
        Path cacheDir = Repo.root().resolve(".tessera/tools/helm-" + version());
        Path binary = cacheDir.resolve("bin/helm");
        if (Files.isExecutable(binary)) {
            instance = new Helm(binary, kube);
            return;
        }
        Optional<Path> go = findOnPath("go");
        if (go.isEmpty()) {
            unavailableReason = "no `go` on the PATH to build helm " + version() + " and no cached " + binary;
            return;
        }
        instance = new Helm(build(go.get(), cacheDir, kube), kube);
    }

    /** go install into a scratch GOBIN, then an atomic move: an interrupted build never leaves a broken cache. */
    private static Path build(Path go, Path cacheDir, String kubeVersion) {
        String[] kube = kubeVersion.split("\\.");
        String ldflags = String.join(" ",
                "-s -w",
                "-X " + MODULE + "/internal/version.version=" + version(),
                "-X " + MODULE + "/pkg/chartutil.k8sVersionMajor=" + kube[0],
                "-X " + MODULE + "/pkg/chartutil.k8sVersionMinor=" + kube[1],
                "-X " + MODULE + "/pkg/lint/rules.k8sVersionMajor=" + kube[0],
                "-X " + MODULE + "/pkg/lint/rules.k8sVersionMinor=" + kube[1]);
        try {
            Files.createDirectories(cacheDir);
            Path scratch = Files.createTempDirectory(cacheDir, "build-");
            Path log = cacheDir.resolve("go-install.log");
            System.err.println("[tessera-helm] building helm " + version() + " from the Go module proxy into "
                    + cacheDir + " (first run only; a few minutes). Log: " + log);
            ProcessBuilder pb = new ProcessBuilder(go.toString(), "install", "-ldflags", ldflags,
                    MODULE + "/cmd/helm@" + version())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().put("GOBIN", scratch.toString());
            pb.environment().put("GOFLAGS", "-buildvcs=false");
            pb.environment().put("CGO_ENABLED", "0");
            Process p = pb.start();
            if (!p.waitFor(25, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("go install of helm " + version() + " took over 25 minutes; see " + log);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("go install of helm " + version() + " failed (exit " + p.exitValue()
                        + "):\n" + tail(log));
            }
            Path target = cacheDir.resolve("bin/helm");
            Files.createDirectories(target.getParent());
            Files.move(scratch.resolve("helm"), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(scratch);
            return target;
        } catch (IOException e) {
            throw new IllegalStateException("cannot build helm into " + cacheDir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building helm", e);
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static Optional<Path> findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** helm lint --strict of the chart with a values set. */
    Result lint(ValuesSet values, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("lint", Repo.chart().toString(), "--strict"));
        values.file().ifPresent(f -> args.addAll(List.of("-f", f.toString())));
        args.addAll(List.of(extraArgs));
        return run(args);
    }

    /** helm template of the chart with a values set, as release "tessera" in namespace "tessera". */
    Result template(ValuesSet values, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("template", "tessera", Repo.chart().toString(),
                "--namespace", "tessera", "--kube-version", kubeVersion));
        values.file().ifPresent(f -> args.addAll(List.of("-f", f.toString())));
        args.addAll(List.of(extraArgs));
        return run(args);
    }

    Result run(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(args);
        try {
            Path out = Files.createTempFile("helm-out", ".txt");
            Path err = Files.createTempFile("helm-err", ".txt");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
                // helm must not read or write the user's helm config, caches or plugins.
                Path home = isolatedHome();
                pb.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
                pb.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
                pb.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
                Process p = pb.start();
                if (!p.waitFor(2, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("helm timed out: " + command);
                }
                return new Result(command, p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running helm", e);
        }
    }

    private static Path isolatedHomeDir;

    private static synchronized Path isolatedHome() throws IOException {
        if (isolatedHomeDir == null) {
            isolatedHomeDir = Files.createTempDirectory("tessera-helm-home");
            isolatedHomeDir.toFile().deleteOnExit();
        }
        return isolatedHomeDir;
    }

    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }

        String describe() {
            return String.join(" ", command) + " -> exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }
}
