package io.tessera.demo.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

    @Test
    void showsCountsRateEtaAndElapsedTime() {
        ProgressLine line = new ProgressLine(new PrintStream(new ByteArrayOutputStream()), false, "indexed", 100);
        String s = line.render(25, 100, 5.0, "1 failed");
        assertTrue(s.contains("[######..................] 25/100"), s);
        assertTrue(s.contains("5.0/s"), s);
        assertTrue(s.contains("ETA 0:15"), s);
        assertTrue(s.contains("0:05"), s);
        assertTrue(s.endsWith("1 failed"), s);
    }

    @Test
    void withoutATotalShowsElapsedTimeAndTheNote() {
        ProgressLine line = new ProgressLine(new PrintStream(new ByteArrayOutputStream()), false, "training", 0);
        assertEquals("  training   1:05  TRAINING 40%", line.render(0, 0, 65, "TRAINING 40%"));
    }

    @Test
    void inALogPrintsAtMostEveryFewSecondsButAlwaysTheCompleteCount() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, "x", 3);
        line.update(1, "");
        line.update(2, "");
        line.update(3, "");
        line.finish("done");
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(3, out.lines().count(), out);
        assertTrue(out.contains("1/3") && out.contains("3/3") && !out.contains("2/3"), out);
    }

    @Test
    void onATerminalTheLineIsRedrawnInPlace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, "x", 2);
        line.update(1, "");
        line.update(2, "");
        line.finish("done");
        String out = bytes.toString(StandardCharsets.UTF_8);
        // Drawn once, then the cursor goes back up one line for the redraw: the complete count ends the line.
        assertTrue(out.contains("1/2") && out.contains("\033[1F") && out.contains("2/2"), out);
        assertTrue(out.endsWith("  done\n"), out);
    }
}
