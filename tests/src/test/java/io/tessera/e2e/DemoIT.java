package io.tessera.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tessera.cli.services.ServiceCatalog;
import io.tessera.cli.services.ServiceDefinition;
import io.tessera.cli.services.ServiceRunner;
import io.tessera.stack.LocalStackManager;
import io.tessera.stack.PartState;
import io.tessera.stack.PartStatus;
import io.tessera.stack.StackConfig;
import io.tessera.stack.StackPart;
import io.tessera.vectorstore.CollectionNaming;
import io.tessera.vectorstore.VectorStore;
import io.tessera.vectorstore.VectorStoreConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code ./tessera demo --no-serve} as a user would, at a small size, against the real stack (reused when it
 * runs, else started by the demo) and checks what it promises: the before/after table with one row per task, a
 * trained model that finds images from text better than the default one, and nothing it started left running.
 *
 * <p>The size is {@code -Dtessera.demo.it.size} (default {@value #DEFAULT_SIZE}: large enough for the trainer's
 * validation gate to see an improvement, small enough to finish in a few minutes).
 */
class DemoIT {

    static final int DEFAULT_SIZE = 150;
    private static final long TIMEOUT_MINUTES = 20;

    /** A row of the table: the task and its seven figures (queries, then R@1, R@5, R@10 before and after). */
    record Row(String task, int queries, double r1Before, double r1After, double r5Before, double r5After,
               double r10Before, double r10After) {
    }

    @Test
    void demoPrintsRecallBeforeAndAfterTrainingAndStopsEverythingItStarted() throws Exception {
        Path root = StackConfig.findRepoRoot(Path.of("").toAbsolutePath());
        // The same ports and runtime dir as the demo process will see (it inherits this environment):
        // a config on other ports would take the running stack's pid files for stale ones.
        Map<String, String> environment = new java.util.HashMap<>(System.getenv());
        environment.put("TESSERA_ROOT", root.toString());
        StackConfig config = StackConfig.fromEnvironment(System.getProperties(), environment);
        Map<StackPart, PartState> stackBefore = states(new LocalStackManager(config).status().parts());
        int size = Integer.getInteger("tessera.demo.it.size", DEFAULT_SIZE);

        Path log = root.resolve("tests/target/demo-it.log");
        Files.createDirectories(log.getParent());
        Process demo = new ProcessBuilder(root.resolve("tessera").toString(), "demo", "--no-serve", "--size",
                Integer.toString(size))
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!demo.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            demo.destroy();
            demo.waitFor(60, TimeUnit.SECONDS);
            fail("the demo did not finish in " + TIMEOUT_MINUTES + " minutes; its output ends with:\n" + tail(log));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, demo.exitValue(), "the demo failed; its output ends with:\n" + tail(log));

        Map<String, Row> table = parseTable(output);
        assertEquals(List.of("text -> image", "text -> video moment", "text -> document page"),
                table.keySet().stream().limit(3).toList(), "one row per task, in order:\n" + output);
        for (Row row : table.values()) {
            assertTrue(row.queries() > 0, row.toString());
            for (double[] pair : new double[][] {{row.r1Before(), row.r5Before(), row.r10Before()},
                    {row.r1After(), row.r5After(), row.r10After()}}) {
                assertTrue(0 <= pair[0] && pair[0] <= pair[1] && pair[1] <= pair[2] && pair[2] <= 1,
                        "recall@1 <= @5 <= @10 within [0, 1]: " + row);
            }
        }
        Matcher verdict = Pattern.compile("verdict: mean recall over tasks and k ([0-9.]+) -> ([0-9.]+) \\((improved|not"
                + " improved)\\); regressions beyond the 95 % interval: (.*)").matcher(output);
        assertTrue(verdict.find(), "the demo prints its verdict:\n" + output);
        assertEquals("improved", verdict.group(3), "training must raise the mean recall:\n" + output);
        assertEquals("none", verdict.group(4).strip(), "no task may drop beyond its 95 % interval:\n" + output);
        assertTrue(output.contains(" to the table"), "the demo prints its total time:\n" + output);
        Matcher mixed = Pattern.compile("every modality at once \\(search-api fusion: (\\w+);[^\n]*\n(?:.*\n)*?"
                + "  all tasks +([0-9.]+) +([0-9.]+) +([0-9.]+) +([0-9.]+) +([0-9.]+)").matcher(output);
        assertTrue(mixed.find(), "the demo compares searching every modality with the answer's own:\n" + output);
        assertEquals("zscore", mixed.group(1), output);
        // What the fusion is for: with raw cosine, texts and pages crowd the pictures out of a text query's top 10.
        // Measured (size 150, tessera-base v2): text -> image fused 0.307 vs raw 0.107 of recall@10; over all tasks
        // the two are level (0.521 vs 0.524), the 0.90 goal is not met on this dataset, whose modalities share their
        // content (docs/operations.md).
        Matcher images = Pattern.compile("every modality at once[^\n]*\n(?:.*\n)*?"
                + "  text -> image +([0-9.]+) +([0-9.]+) +([0-9.-]+) +([0-9.]+)").matcher(output);
        assertTrue(images.find(), output);
        assertTrue(Double.parseDouble(images.group(2)) >= 2 * Double.parseDouble(images.group(4)),
                "text -> image over every modality: fused " + images.group(2) + " vs raw cosine " + images.group(4)
                        + "\n" + output);
        assertTrue(Double.parseDouble(mixed.group(3)) >= Double.parseDouble(mixed.group(5)) - 0.05,
                "all-modality recall@10 fused " + mixed.group(3) + " vs raw cosine " + mixed.group(5) + "\n" + output);
        assertRealMedia(output);

        ServiceRunner runner = new ServiceRunner(config);
        for (ServiceDefinition s : ServiceCatalog.all()) {
            assertTrue(runner.pid(s).isEmpty(), s.name() + " still has a live pid file");
            assertTrue(!listening(config.host(), s.port()), s.name() + " still listens on port " + s.port());
        }
        if (stackBefore.get(StackPart.MILVUS) == PartState.UP) { // else the demo has stopped Milvus again
            assertRunCollectionsDropped(output, config.milvusUri());
        }
        Map<StackPart, PartState> stackAfter = states(new LocalStackManager(config).status().parts());
        for (var e : stackBefore.entrySet()) {
            if (e.getValue() == PartState.DOWN) {
                assertEquals(PartState.DOWN, stackAfter.get(e.getKey()), e.getKey() + " was started by the demo and"
                        + " must be stopped again");
            } else if (e.getValue() == PartState.UP) {
                assertEquals(PartState.UP, stackAfter.get(e.getKey()), e.getKey() + " ran before the demo and must"
                        + " keep running");
            }
        }
    }

    /**
     * The real-media section, searched zero-shot with the default model (tessera-base v1): real photos by words ("a cat" finds Chelsea in the top
     * 3), each photo's cropped, re-encoded copy finds its original first, a sentence about disclaiming warranties finds
     * a licence text first, and the scanned page (no text layer) is found by its printed words through OCR.
     */
    private static void assertRealMedia(String output) {
        int start = output.indexOf("real media, zero-shot with");
        assertTrue(start >= 0, "the demo searches real media with the default model:\n" + output);
        String section = output.substring(start, output.indexOf("\n\n", start) < 0 ? output.length()
                : output.indexOf("\n\n", start));
        Map<String, Integer> ranks = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^(\"[^\"]*\"|\\[image\\] [^ ]+ [^ ]+ [^ ]+)\\s+(\\d+|-)\\s").matcher(section);
        while (m.find()) {
            ranks.put(m.group(1), m.group(2).equals("-") ? 99 : Integer.parseInt(m.group(2)));
        }
        assertTrue(ranks.getOrDefault("\"a cat\"", 99) <= 3, "a cat -> Chelsea in the top 3: " + ranks + "\n" + output);
        assertEquals(1, ranks.getOrDefault("\"the software is provided as is, without warranty of any kind\"", 99),
                "a licence text first: " + ranks);
        for (String photo : List.of("chelsea.png", "coffee.png", "astronaut.png", "rocket.jpg")) {
            assertEquals(1, ranks.getOrDefault("[image] crop of " + photo, 99), "the crop of " + photo
                    + " finds its original first: " + ranks);
        }
        if (!output.contains("OCR is off")) {
            assertEquals(1, ranks.getOrDefault("\"harbour crane brake inspection\"", 99),
                    "the scanned page is found by its words through OCR: " + ranks);
        }
    }

    /** The run's own Milvus collections and alias (prefix {@code demo_<id>_}) are dropped when it ends. */
    private static void assertRunCollectionsDropped(String output, String milvusUri) {
        Matcher runId = Pattern.compile("run (demo-[a-z0-9]+),").matcher(output);
        assertTrue(runId.find(), "the demo names its run:\n" + output);
        String prefix = runId.group(1).replace('-', '_') + "_";
        Matcher model = Pattern.compile("model ([^ :]+):\\d+").matcher(output);
        assertTrue(model.find(), "the demo names its model:\n" + output);
        String name = model.group(1);
        try (VectorStore store = VectorStore.connect(VectorStoreConfig.defaults(milvusUri)
                .withNaming(new CollectionNaming(prefix)))) {
            assertEquals(List.of(), store.listCollections(name), "collections left by run " + prefix);
            assertTrue(store.resolveAlias(store.naming().alias(name)).isEmpty(), "alias left by " + prefix);
        }
    }

    /** The rows under the header line that starts with "TASK", up to the first blank line. */
    static Map<String, Row> parseTable(String output) {
        List<String> lines = output.lines().toList();
        int header = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("TASK ") && lines.get(i).contains("R@1 BEFORE")) {
                header = i;
            }
        }
        if (header < 0) {
            fail("no results table in the output:\n" + output);
        }
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : lines.subList(header + 1, lines.size())) {
            if (line.isBlank()) {
                break;
            }
            String task = line.substring(0, 22).strip();
            String[] f = line.substring(22).strip().split("\\s+");
            assertEquals(7, f.length, "seven figures per row: " + line);
            rows.put(task, new Row(task, Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                    Double.parseDouble(f[6])));
        }
        return rows;
    }

    private static Map<StackPart, PartState> states(List<PartStatus> parts) {
        Map<StackPart, PartState> m = new EnumMap<>(StackPart.class);
        parts.forEach(p -> m.put(p.part(), p.state()));
        return m;
    }

    private static boolean listening(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
