package io.tessera.cli;

import io.tessera.demo.console.LiveLines;
import io.tessera.stack.ProgressListener;
import io.tessera.stack.StackPart;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One line per part with what it is doing and for how long. On a terminal the lines are redrawn in
 * place every second; otherwise (CI logs) a line is printed when the activity changes and every 15 s.
 */
final class ConsoleProgress implements ProgressListener, AutoCloseable {

    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private record Line(String activity, Instant since, boolean done, Instant lastPrinted) { }

    private final LiveLines rows;
    private final Instant begin = Instant.now();
    private final Map<StackPart, Line> lines = new EnumMap<>(StackPart.class);
    private final ScheduledExecutorService ticker;

    ConsoleProgress(PrintStream out, boolean terminal) {
        this.rows = new LiveLines(out, terminal, StackPart.values().length);
        for (StackPart p : StackPart.values()) {
            lines.put(p, new Line("checking", begin, false, Instant.EPOCH));
        }
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tessera-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    static boolean stdoutIsTerminal() {
        // Set by the ./tessera launcher ([ -t 1 ]): System.console() cannot tell on every JDK.
        return "1".equals(System.getenv("TESSERA_TTY")) && !"dumb".equals(System.getenv("TERM"));
    }

    @Override
    public synchronized void progress(StackPart part, String activity, Duration elapsed) {
        Line old = lines.get(part);
        if (old.done() || old.activity().equals(activity)) {
            return;
        }
        Instant now = Instant.now();
        // In a log, a burst of similar steps (pip collecting a, b, c…) prints at most every few seconds.
        boolean similar = topic(activity).equals(topic(old.activity()));
        boolean log = !similar || Duration.between(old.lastPrinted(), now).compareTo(Duration.ofSeconds(5)) >= 0;
        lines.put(part, new Line(activity, old.since(), false, log ? now : old.lastPrinted()));
        show(part, log ? String.format("%-9s %s (%ds)", part.id(), activity, elapsed.toSeconds()) : null);
    }

    @Override
    public synchronized void ready(StackPart part, boolean alreadyRunning, String summary, Duration elapsed) {
        lines.put(part, new Line(summary + String.format(" in %.1fs", elapsed.toMillis() / 1000.0), begin, true, Instant.now()));
        show(part, String.format("%-9s %s", part.id(), lines.get(part).activity()));
    }

    private static String topic(String activity) {
        String[] words = activity.split(" ");
        return words.length < 2 ? activity : words[0] + " " + words[1];
    }

    @Override
    public synchronized void failed(StackPart part, String reason, Duration elapsed) {
        lines.put(part, new Line("FAILED after " + elapsed.toSeconds() + "s (reason below)", begin, true, Instant.now()));
        show(part, String.format("%-9s %s", part.id(), lines.get(part).activity()));
    }

    private void show(StackPart part, String logLine) {
        rows.set(part.ordinal(), row(part, lines.get(part)), logLine);
    }

    /** The part's row on a terminal: its activity with the time since the start, or how it ended. */
    private String row(StackPart part, Line l) {
        long seconds = Duration.between(begin, Instant.now()).toSeconds();
        String text = l.done() ? (l.activity().startsWith("FAILED") ? "" : "ok  ") + l.activity()
                : "…   " + l.activity() + " (" + seconds + "s)";
        return String.format("%-9s %s", part.id(), text);
    }

    private synchronized void tick() {
        if (rows.terminal()) {
            rows.setAll(lines.entrySet().stream().map(e -> row(e.getKey(), e.getValue())).toList());
            return;
        }
        Instant now = Instant.now();
        for (var e : lines.entrySet()) {
            Line l = e.getValue();
            if (!l.done() && Duration.between(l.lastPrinted(), now).compareTo(HEARTBEAT) >= 0) {
                lines.put(e.getKey(), new Line(l.activity(), l.since(), false, now));
                show(e.getKey(), String.format("%-9s still %s (%ds)", e.getKey().id(), l.activity(),
                        Duration.between(begin, now).toSeconds()));
            }
        }
    }

    @Override
    public synchronized void close() {
        ticker.shutdownNow();
        if (rows.terminal()) {
            rows.setAll(lines.entrySet().stream().map(e -> row(e.getKey(), e.getValue())).toList());
        }
        rows.close();
    }
}
