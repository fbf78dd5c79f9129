package io.tessera.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tessera.stack.StackConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A real transformer architecture through the whole system, the way a user brings their own model: a CLIP ViT export
 * (random weights, a Hugging Face export's exact names and layout) goes through {@code ./tessera model synthesize-clip}
 * (generate + {@code model import}) into a model store, then {@code ./tessera demo --model} indexes the dataset with
 * it through every indexer, searches it through search-api, fine-tunes its projection heads in the trainer, promotes
 * v2, re-indexes into a new collection and flips the alias. The figures mean nothing for random weights; the loop is
 * what is checked.
 */
class ImportedModelDemoIT {

    private static final String MODEL = "clip-synthetic-tiny";
    private static final int SIZE = 60;

    @Test
    void anImportedClipArchitectureIsIndexedSearchedFineTunedAndRolledOut() throws Exception {
        Path root = StackConfig.findRepoRoot(Path.of("").toAbsolutePath());
        Path store = root.resolve("tests/target/imported-model-it/models");
        deleteRecursively(store);
        Path log = root.resolve("tests/target/imported-model-it.log");
        Files.createDirectories(log.getParent());

        run(root, log, 5, "model", "synthesize-clip", "--size", "tiny", "--models-dir", store.toString());
        String imported = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(imported.contains("imported " + MODEL + "/1"), imported);
        assertTrue(Files.isRegularFile(store.resolve(MODEL).resolve("1").resolve("heads/image.safetensors")));

        run(root, log, 20, "demo", "--no-serve", "--size", Integer.toString(SIZE), "--model", MODEL,
                "--models-dir", store.toString());
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(output.contains("model " + MODEL + ":1"), "the demo runs on the imported model:\n" + output);
        Matcher promoted = Pattern.compile(Pattern.quote(MODEL) + " v(\\d+) PROMOTED").matcher(output);
        assertTrue(promoted.find(), "the trainer promotes a version with trained heads:\n" + output);
        assertEquals("2", promoted.group(1));
        assertTrue(output.contains("retrieval on held-out queries, " + MODEL + ": before = v1 (default), after = v2"),
                "evaluated through search-api before and after the roll-out:\n" + output);
        Map<String, DemoIT.Row> table = DemoIT.parseTable(output);
        assertEquals(List.of("text -> image", "text -> video moment", "text -> document page", "text -> text passage"),
                List.copyOf(table.keySet()), output);
        for (DemoIT.Row row : table.values()) {
            assertTrue(row.queries() > 0, row.toString());
        }
    }

    private static void run(Path root, Path log, long minutes, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(root.resolve("tessera").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.destroy();
            p.waitFor(60, TimeUnit.SECONDS);
            fail(String.join(" ", args) + " did not finish in " + minutes + " minutes:\n" + tail(log));
        }
        assertEquals(0, p.exitValue(), String.join(" ", args) + " failed:\n" + tail(log));
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
