package io.tessera.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A server process that outlives the JVM that started it: own session (no terminal signals, no
 * hang-up), stdin from /dev/null, output appended to a log file, its pid in a pid file.
 *
 * <p>The pid file holds the pid of the server itself (the launcher execs into it), and every
 * operation on a recorded pid first checks the process' command line against {@link #identity()},
 * so a recycled pid is never signalled. Used by the local stack and by {@code tessera services}.
 *
 * @param name short name for messages
 * @param pidFile where the pid is recorded
 * @param logFile where stdout and stderr go (appended; rotated once above {@link #ROTATE_BYTES})
 * @param identity strings the command line of the live process must all contain
 */
public record BackgroundProcess(String name, Path pidFile, Path logFile, List<String> identity) {

    static final long ROTATE_BYTES = 20L * 1024 * 1024;

    /** One step of a stop: send {@code signal}, then wait up to {@code grace} for the process to exit. */
    public record StopStep(String signal, Duration grace) { }

    public static List<StopStep> terminate(Duration grace) {
        return List.of(new StopStep("TERM", grace), new StopStep("KILL", Duration.ofSeconds(5)));
    }

    public BackgroundProcess {
        Objects.requireNonNull(name);
        Objects.requireNonNull(pidFile);
        Objects.requireNonNull(logFile);
        identity = List.copyOf(identity);
        if (identity.isEmpty()) {
            throw new IllegalArgumentException("a background process needs at least one identity marker");
        }
    }

    /** Launches {@code command} detached and returns the server's pid. */
    public long start(List<String> command, Map<String, String> environment, Path workDir) {
        try {
            Files.createDirectories(pidFile.getParent());
            Files.createDirectories(logFile.getParent());
            Files.createDirectories(workDir);
            rotateLog();
            Files.deleteIfExists(pidFile);
            List<String> argv = new ArrayList<>();
            // setsid: a session of its own, so Ctrl-C in the terminal that ran `stack up` and the
            // terminal's hang-up never reach the server. The shell writes its own pid, then execs,
            // so the recorded pid is the server's.
            argv.add("setsid");
            argv.add("sh");
            argv.add("-c");
            argv.add("echo $$ > \"$0\"; exec \"$@\"");
            argv.add(pidFile.toString());
            argv.addAll(command);
            ProcessBuilder pb = new ProcessBuilder(argv)
                    .directory(workDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectErrorStream(true);
            pb.environment().putAll(environment);
            Files.writeString(logFile, "---- " + java.time.Instant.now() + " starting " + name + ": "
                    + String.join(" ", command) + System.lineSeparator(), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            Process process = pb.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                OptionalLong pid = readPidFile();
                if (pid.isPresent()) {
                    return pid.getAsLong();
                }
                if (!process.isAlive()) {
                    break;
                }
                sleep(Duration.ofMillis(20));
            }
            OptionalLong pid = readPidFile();
            if (pid.isPresent()) {
                return pid.getAsLong();
            }
            throw new StackException.StartupException(name + " did not start (exit code "
                    + (process.isAlive() ? "none yet" : process.exitValue()) + "): see " + logFile);
        } catch (IOException e) {
            throw new StackException.StartupException("cannot launch " + name + ": " + e.getMessage()
                    + " (is 'setsid' from util-linux installed?)", e);
        }
    }

    /**
     * The pid of the live process this pid file records, if it is still ours. A pid file whose process is gone is
     * removed; one whose pid is alive but does not look like ours (a recycled pid, or the same server started with
     * other settings, such as another port) is kept, so that a caller with other settings never loses track of a
     * live server, and is simply not reported as ours.
     */
    public OptionalLong runningPid() {
        OptionalLong pid = readPidFile();
        if (pid.isEmpty()) {
            return pid;
        }
        if (isOurs(pid.getAsLong())) {
            return pid;
        }
        if (!isAlive(pid.getAsLong())) {
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return OptionalLong.empty();
    }

    /**
     * "the end of LOG:" and the {@link #logTail} lines indented below it: the one form every "exited during start-up"
     * message uses.
     */
    public String endOfLog(int lines) {
        StringBuilder sb = new StringBuilder("the end of ").append(logFile).append(':');
        logTail(lines).lines().forEach(l -> sb.append(System.lineSeparator()).append("  | ").append(l));
        return sb.toString();
    }

    /**
     * The last {@code lines} lines this process' latest start wrote to its log (from the "starting" marker on), for
     * error messages that should show why a server stopped without making the user open the log.
     */
    public String logTail(int lines) {
        List<String> all;
        try {
            if (!Files.isRegularFile(logFile)) {
                return "(no log at " + logFile + ")";
            }
            all = new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
        int from = 0;
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).startsWith("---- ") && all.get(i).contains(" starting " + name + ":")) {
                from = i + 1;
                break;
            }
        }
        from = Math.max(from, all.size() - lines);
        return String.join(System.lineSeparator(), all.subList(from, all.size()));
    }

    /** Whether the process that started with this pid file still runs (exited processes: false). */
    public boolean isRunning() {
        return runningPid().isPresent();
    }

    /**
     * Stops the recorded process by walking {@code steps} (e.g. INT, then TERM, then KILL) until it is
     * gone. Returns false when nothing of ours was running.
     */
    public boolean stop(List<StopStep> steps) {
        OptionalLong recorded = runningPid();
        if (recorded.isEmpty()) {
            return false;
        }
        long pid = recorded.getAsLong();
        for (StopStep step : steps) {
            if (!isOurs(pid)) {
                break;
            }
            signal(pid, step.signal());
            if (awaitExit(pid, step.grace())) {
                break;
            }
        }
        if (isOurs(pid)) {
            throw new StackException("could not stop " + name + " (pid " + pid + "); stop it by hand with 'kill -9 " + pid + "'");
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return true;
    }

    /** The command line of a live process, empty for an unknown pid or a zombie. */
    public static Optional<String> commandLine(long pid) {
        Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
        try {
            byte[] raw = Files.readAllBytes(cmdline);
            if (raw.length == 0) {
                return Optional.empty();
            }
            return Optional.of(new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim());
        } catch (IOException e) {
            // Not Linux /proc, or the process is gone.
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).flatMap(h -> h.info().commandLine());
        }
    }

    boolean isOurs(long pid) {
        Optional<String> line = commandLine(pid);
        // An empty command line of a live, non-zombie process is the instant of exec (the launcher's shell becoming
        // the server): look again rather than call a starting server gone.
        for (int attempt = 0; line.isEmpty() && attempt < 10 && isAlive(pid); attempt++) {
            sleep(Duration.ofMillis(20));
            line = commandLine(pid);
        }
        return line.isPresent() && identity.stream().allMatch(line.get()::contains);
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !isZombie(pid);
    }

    /** A zombie (exited, not yet reaped) has a /proc entry but is gone for every purpose here. */
    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int close = stat.lastIndexOf(')');
            return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private boolean awaitExit(long pid, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        do {
            if (!isOurs(pid)) {
                return true;
            }
            sleep(Duration.ofMillis(100));
        } while (System.nanoTime() < deadline);
        return !isOurs(pid);
    }

    private static void signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while stopping pid " + pid, e);
        }
    }

    private OptionalLong readPidFile() {
        try {
            if (!Files.isRegularFile(pidFile)) {
                return OptionalLong.empty();
            }
            String text = Files.readString(pidFile).trim();
            return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private void rotateLog() throws IOException {
        if (Files.isRegularFile(logFile) && Files.size(logFile) > ROTATE_BYTES) {
            Files.move(logFile, logFile.resolveSibling(logFile.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        }
    }
}
