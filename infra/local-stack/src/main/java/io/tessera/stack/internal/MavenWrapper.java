package io.tessera.stack.internal;

import io.tessera.stack.StackConfig;
import io.tessera.stack.StackException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/** Runs the repository's Maven wrapper on one of the parentless server poms shipped in this jar. */
final class MavenWrapper {

    // Two Maven processes writing the same local repository at once is asking for trouble: one at a time.
    private static final ReentrantLock LOCK = new ReentrantLock();

    private MavenWrapper() { }

    static void checkAvailable(StackConfig config) {
        Path mvnw = config.repoRoot().resolve("mvnw");
        if (!Files.isExecutable(mvnw)) {
            throw new StackException.PrerequisiteMissingException("no Maven wrapper at " + mvnw
                    + ": run from the Tessera checkout or set TESSERA_ROOT (-Dtessera.root) to it");
        }
    }

    static void run(StackConfig config, String pomResource, Map<String, String> properties, Path log) {
        checkAvailable(config);
        Path mvnw = config.repoRoot().resolve("mvnw");
        Path pom = Resources.extract("servers/" + pomResource, config.cacheDir().resolve("maven").resolve(pomResource));
        List<String> cmd = new ArrayList<>(List.of(mvnw.toString(), "-B", "-q", "-f", pom.toString()));
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("generate-resources");
        LOCK.lock();
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .directory(config.repoRoot().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            // The wrapper must run on a JDK the build accepts: the one running this code.
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            String opts = pb.environment().getOrDefault("MAVEN_OPTS", "");
            if (Runtime.version().feature() >= 23 && !opts.contains("sun-misc-unsafe")) {
                // Maven 3.9's Guice touches sun.misc.Unsafe; JDK 23+ warns at every start otherwise.
                pb.environment().put("MAVEN_OPTS", (opts + " --sun-misc-unsafe-memory-access=allow").trim());
            }
            int exit = pb.start().waitFor();
            if (exit != 0) {
                throw new StackException.InstallException("fetching " + pomResource.replace(".pom.xml", "")
                        + " with the Maven wrapper failed (exit " + exit + "): see " + log
                        + " (check network access to the Maven repository, then run 'stack up' again)");
            }
        } catch (IOException e) {
            throw new StackException.InstallException("cannot run " + mvnw + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException.InstallException("interrupted while running the Maven wrapper", e);
        } finally {
            LOCK.unlock();
        }
    }
}
