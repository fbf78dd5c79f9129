package io.tessera.demo.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DatasetCommandTest {

    @TempDir
    Path temp;

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new DatasetCommand(new RawFramesEncoder()));
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void writesTheDatasetAndSummarisesIt() throws Exception {
        Path dir = temp.resolve("ds");
        Run run = run("--seed", "9", "--size", "10", "--out", dir.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("dataset seed=9 size=10"), run.out());
        assertTrue(run.out().contains("13 images, 4 videos"), run.out());
        DatasetManifest manifest = DatasetJson.readManifest(dir);
        assertEquals(9, manifest.seed());
        assertTrue(Files.isRegularFile(dir.resolve("pairs.jsonl")));
    }

    @Test
    void badArgumentsExitWithTwoAndSayWhy() throws Exception {
        Run small = run("--size", "3", "--out", temp.resolve("x").toString());
        assertEquals(2, small.exitCode());
        assertTrue(small.err().contains("between 10 and 1000"), small.err());

        Run missing = run("--size", "20");
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("--out"), missing.err());

        Path occupied = temp.resolve("occupied");
        Files.createDirectories(occupied);
        Files.writeString(occupied.resolve("thesis.tex"), "do not delete");
        Run refused = run("--size", "10", "--out", occupied.toString());
        assertEquals(2, refused.exitCode());
        assertTrue(refused.err().contains("thesis.tex"), refused.err());
    }
}
