package io.tessera.demo.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveLinesTest {

    @Test
    void onATerminalEveryRowIsRedrawnInPlace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (LiveLines rows = new LiveLines(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, 2)) {
            rows.set(0, "kafka starting", "ignored on a terminal");
            rows.setAll(List.of("kafka up", "milvus starting"));
        }
        assertEquals("kafka starting\033[K\n\033[K\n" + "\033[2F" + "kafka up\033[K\nmilvus starting\033[K\n",
                bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void inALogOnlyTheLinesMarkedForItArePrinted() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (LiveLines rows = new LiveLines(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, 2)) {
            rows.set(0, "kafka starting", "kafka     starting (1s)");
            rows.set(1, "milvus installing a", null);
            rows.setAll(List.of("kafka up", "milvus up"));
            rows.set(1, "milvus up", "milvus    up");
        }
        assertEquals("kafka     starting (1s)\nmilvus    up\n", bytes.toString(StandardCharsets.UTF_8));
    }
}
