package io.tessera.search.it;

import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the node/playwright-core browser scripts of src/test/browser from JUnit. */
final class BrowserTools {

    record Result(int exitCode, String output) {
    }

    private BrowserTools() {
    }

    /** An executable on the PATH, or null. */
    static String find(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    static void loudSkip(Path chromium, String node, Path browserDir) {
        String line = "!".repeat(100);
        System.err.println(line);
        System.err.println("!!! SKIPPING the search page test in headless Chromium: it could not run here.");
        System.err.println("!!!   chromium at " + chromium + ": " + (Files.isExecutable(chromium) ? "ok" : "MISSING"
                + " -> apt-get install -y --no-install-recommends chromium"));
        System.err.println("!!!   node on PATH: " + (node != null ? node : "MISSING -> install Node.js 20+"));
        System.err.println("!!!   playwright-core in " + browserDir + "/node_modules: "
                + (Files.isDirectory(browserDir.resolve("node_modules/playwright-core")) ? "ok"
                : "MISSING -> npm ci --prefix " + browserDir));
        System.err.println(line);
    }

    static Result runNode(String node, Path dir, String script, Map<String, Object> spec, Duration timeout)
            throws IOException, InterruptedException {
        String json = JsonMapper.builder().build().writeValueAsString(spec);
        ProcessBuilder pb = new ProcessBuilder(List.of(node, script, json)).directory(dir.toFile())
                .redirectErrorStream(true);
        // Playwright must never try to download a browser or phone home.
        pb.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        pb.environment().put("PLAYWRIGHT_BROWSERS_PATH", "0");
        Process process = pb.start();
        byte[] out;
        // Read while it runs (a full pipe would block the script), bounded by the timeout below.
        Thread killer = Thread.ofPlatform().daemon().start(() -> {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
            }
        });
        out = process.getInputStream().readAllBytes();
        int code = process.waitFor();
        killer.interrupt();
        String output = new String(out, StandardCharsets.UTF_8);
        System.out.println("[search-page browser test] " + output.strip());
        return new Result(code, output);
    }
}
