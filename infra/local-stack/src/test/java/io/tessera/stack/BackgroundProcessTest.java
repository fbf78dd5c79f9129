package io.tessera.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackgroundProcessTest {

    @TempDir
    Path dir;

    private BackgroundProcess process;

    @AfterEach
    void stopLeftovers() {
        if (process != null) {
            process.stop(List.of(new BackgroundProcess.StopStep("KILL", Duration.ofSeconds(5))));
        }
    }

    @Test
    void pidFileRecordsTheServerItselfInItsOwnSession() throws Exception {
        // A unique duration makes the command line recognisable before and after the launcher's exec.
        String sleep = "sleep 600." + (System.nanoTime() % 1_000_000);
        process = new BackgroundProcess("sleeper", dir.resolve("run/sleeper.pid"), dir.resolve("logs/sleeper.log"), List.of(sleep));
        long pid = process.start(List.of("sh", "-c", "echo started; exec " + sleep), Map.of(), dir.resolve("work"));

        assertEquals(OptionalLong.of(pid), process.runningPid());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> BackgroundProcess.commandLine(pid).orElse("").equals(sleep));
        // setsid: the server leads its own session, so terminal signals to the caller never reach it.
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        assertEquals(Long.toString(pid), fields[3], "session id == pid");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> Files.readString(dir.resolve("logs/sleeper.log")).contains("started"));
    }

    @Test
    void stopEscalatesWhenTheFirstSignalIsIgnored() {
        String marker = "tessera-test-" + System.nanoTime();
        process = new BackgroundProcess("stubborn", dir.resolve("stubborn.pid"), dir.resolve("stubborn.log"), List.of(marker));
        // Ignores SIGINT and SIGTERM: only the final KILL ends it.
        process.start(List.of("sh", "-c", "trap '' INT TERM; while :; do sleep 0.1; done", marker), Map.of(), dir);

        long begin = System.nanoTime();
        assertTrue(process.stop(List.of(new BackgroundProcess.StopStep("INT", Duration.ofMillis(300)),
                new BackgroundProcess.StopStep("TERM", Duration.ofMillis(300)),
                new BackgroundProcess.StopStep("KILL", Duration.ofSeconds(5)))));
        assertFalse(process.isRunning());
        assertFalse(Files.exists(dir.resolve("stubborn.pid")));
        assertTrue(Duration.ofNanos(System.nanoTime() - begin).compareTo(Duration.ofSeconds(5)) < 0);
    }

    @Test
    void aRecycledPidIsNeverSignalled() throws Exception {
        Process stranger = new ProcessBuilder("sleep", "30").start();
        try {
            Path pidFile = dir.resolve("old.pid");
            Files.writeString(pidFile, Long.toString(stranger.pid()));
            process = new BackgroundProcess("old", pidFile, dir.resolve("old.log"), List.of("tessera-never-matches"));

            assertFalse(process.isRunning(), "a pid whose command line does not match is not ours");
            assertFalse(process.stop(BackgroundProcess.terminate(Duration.ofSeconds(1))));
            assertTrue(stranger.isAlive());
            // Kept while that pid lives: it may be our server started with other settings (another port), and a
            // caller with different settings must not make a later `down` lose track of it.
            assertTrue(Files.exists(pidFile), "a live process' pid file is left alone");
        } finally {
            stranger.destroyForcibly();
            stranger.waitFor();
        }
        assertFalse(process.isRunning());
        assertFalse(Files.exists(dir.resolve("old.pid")), "the pid file of a process that is gone is cleaned up");
    }

    @Test
    void logTailShowsWhatTheLatestStartPrinted() throws Exception {
        String marker = "tessera-tail-" + System.nanoTime();
        process = new BackgroundProcess("tail", dir.resolve("tail.pid"), dir.resolve("tail.log"), List.of(marker));
        Files.writeString(dir.resolve("tail.log"), "---- earlier starting tail: old\nold failure\n");
        long pid = process.start(List.of("sh", "-c", "echo line one; echo line two; echo line three", marker), Map.of(), dir);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !process.isRunning());

        assertEquals(String.join(System.lineSeparator(), "line one", "line two", "line three"), process.logTail(10),
                "only this start's output (pid " + pid + ")");
        assertEquals(String.join(System.lineSeparator(), "line two", "line three"), process.logTail(2));
    }
}
