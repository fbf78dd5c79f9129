package io.tessera.indexer.it;

import io.tessera.stack.StackConfig;
import io.tessera.vectorstore.VectorStore;
import io.tessera.vectorstore.VectorStoreConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Milvus Lite of this test's own, on a free port, that the test may stop and start: stopping the shared stack's
 * Milvus would break every other test running against it. Uses the local stack's installed Milvus Lite (its
 * virtualenv and launcher script), stopped with SIGTERM, which the launcher turns into Milvus Lite's clean
 * shutdown (an unclean one can lose rows, see docs/platform-notes.md).
 * <p>
 * Belongs in test-support ({@code LocalStack.privateMilvus(dataDir)} returning start/stop/uri): it relies on where
 * the local stack installs Milvus Lite, which only that module should know.
 */
final class PrivateMilvus implements AutoCloseable {

    private final Path python;
    private final Path script;
    private final Path dataDir;
    private final Path log;
    private final int port;
    private Process process;

    PrivateMilvus(Path dataDir) {
        StackConfig stack = StackConfig.fromEnvironment();
        this.python = stack.venvDir().resolve("bin").resolve("python");
        this.script = stack.cacheDir().resolve("python").resolve("tessera_milvus.py");
        if (!Files.isExecutable(python) || !Files.isRegularFile(script)) {
            throw new IllegalStateException("Milvus Lite is not installed under " + stack.home()
                    + " (run ./tessera stack up once)");
        }
        this.dataDir = dataDir;
        this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        this.port = freePort();
    }

    String uri() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts Milvus Lite on its data directory and waits until it answers. */
    void start(Duration timeout) throws IOException {
        Files.createDirectories(dataDir);
        process = new ProcessBuilder(List.of(python.toString(), "-u", script.toString(), "server", "--data-dir",
                dataDir.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port)))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        Instant deadline = Instant.now().plus(timeout);
        try (VectorStore probe = VectorStore.connect(VectorStoreConfig.defaults(uri())
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)))) {
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Milvus Lite exited: see " + log);
                }
                if (probe.isReachable()) {
                    return;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
            }
        }
        throw new IllegalStateException("Milvus Lite did not answer in " + timeout + ": see " + log);
    }

    /** A clean stop (SIGTERM), waiting until the process is gone. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
