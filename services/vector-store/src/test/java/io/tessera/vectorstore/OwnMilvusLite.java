package io.tessera.vectorstore;

import io.tessera.stack.StackConfig;
import io.tessera.testing.LocalStack;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A private Milvus Lite on a free port, for tests that must stop and restart Milvus without touching the shared one
 * of the local stack. Uses the stack's Python environment ({@code .tessera/venv}) or the interpreter named by
 * -Dtessera.milvus.lite.python / TESSERA_MILVUS_LITE_PYTHON. Stopped by pid, never by name.
 */
final class OwnMilvusLite implements AutoCloseable {

    /**
     * The local stack's own Milvus Lite wrapper (restores SIGINT in a background process so a clean stop works, and
     * rebuilds an index sidecar that a kill -9 left truncated), so a restart here behaves as in the stack.
     */
    private static final String WRAPPER = "/io/tessera/stack/python/tessera_milvus.py";

    private final String python;
    private final Path wrapper;
    private final Path dataDir;
    private final Path log;
    private final int port;
    private Process process;

    private OwnMilvusLite(String python, Path wrapper, Path dataDir, Path log, int port) {
        this.python = python;
        this.wrapper = wrapper;
        this.dataDir = dataDir;
        this.log = log;
        this.port = port;
    }

    /** Skips the test (visibly) when no Python with Milvus Lite is found. */
    static OwnMilvusLite create(Path workDir) throws IOException, InterruptedException {
        String python = findPython();
        assumeTrue(python != null, "No Python with milvus_lite found: run `./tessera stack up` once (it creates .tessera/venv)"
                + " or set -Dtessera.milvus.lite.python");
        Process probe = new ProcessBuilder(python, "-c", "import milvus_lite").redirectErrorStream(true).start();
        assumeTrue(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0, python + " cannot import milvus_lite");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.createDirectories(workDir);
        Path wrapper = workDir.resolve("tessera_milvus.py");
        try (InputStream in = OwnMilvusLite.class.getResourceAsStream(WRAPPER)) {
            if (in == null) {
                throw new IllegalStateException("missing " + WRAPPER + " (tessera-local-stack on the test classpath)");
            }
            Files.copy(in, wrapper);
        }
        return new OwnMilvusLite(python, wrapper, workDir.resolve("data"), workDir.resolve("milvus-lite.log"), port);
    }

    Path dataDir() {
        return dataDir;
    }

    String uri() {
        return "http://127.0.0.1:" + port;
    }

    void start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(python, "-u", wrapper.toString(), "server",
                "--data-dir", dataDir.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("PYTHONUNBUFFERED", "1");
        process = pb.start();
        await("Milvus Lite listening on " + port).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("Milvus Lite exited with " + process.exitValue() + ", see " + log);
                    }
                    return listening();
                });
    }

    /** An unclean stop, like a crash or an OOM kill. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        await("port " + port + " released").atMost(Duration.ofSeconds(30)).until(() -> !listening());
    }

    /** A clean stop: SIGINT lets Milvus Lite close its write-ahead log. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            new ProcessBuilder(List.of("kill", "-INT", Long.toString(process.pid()))).start().waitFor();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String findPython() {
        String configured = System.getProperty("tessera.milvus.lite.python");
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("TESSERA_MILVUS_LITE_PYTHON");
        }
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        // The stack's virtualenv, present once LocalStack has reused or started the stack.
        LocalStack.endpoints();
        Path venvPython = StackConfig.fromEnvironment().venvDir().resolve("bin").resolve("python");
        return Files.isExecutable(venvPython) ? venvPython.toString() : null;
    }
}
