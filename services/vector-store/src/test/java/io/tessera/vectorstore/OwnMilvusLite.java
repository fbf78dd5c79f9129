package io.tessera.vectorstore;

import io.tessera.stack.StackConfig;
import io.tessera.testing.LocalStack;

import java.io.IOException;
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
     * The default SIGINT handler is restored so that a clean stop (SIGINT) works even when the process is started
     * in the background, where Python ignores SIGINT (docs/platform-notes.md).
     */
    private static final String LAUNCHER = String.join("\n",
            "import signal, sys",
            "signal.signal(signal.SIGINT, signal.default_int_handler)",
            "from milvus_lite.cmdline import main",
            "sys.argv = ['milvus-lite', 'server', '--data-dir', sys.argv[1], '--host', '127.0.0.1', '--port', sys.argv[2]]",
            "sys.exit(main())");

    private final String python;
    private final Path dataDir;
    private final Path log;
    private final int port;
    private Process process;

    private OwnMilvusLite(String python, Path dataDir, Path log, int port) {
        this.python = python;
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
        return new OwnMilvusLite(python, workDir.resolve("data"), workDir.resolve("milvus-lite.log"), port);
    }

    String uri() {
        return "http://127.0.0.1:" + port;
    }

    void start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(python, "-c", LAUNCHER, dataDir.toString(), Integer.toString(port))
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
