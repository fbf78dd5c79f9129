package io.tessera.demo.console;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One progress line: a bar, counts, rate, ETA and elapsed time (or, without a total, the elapsed time). On a terminal
 * it is redrawn in place ({@link LiveLines}); in a log (CI) a line is printed every {@value #LOG_EVERY_MS} ms and when
 * the count is complete.
 */
public final class ProgressLine {

    static final long LOG_EVERY_MS = 5_000;
    private static final int WIDTH = 24;

    private final PrintStream out;
    private final boolean terminal;
    private final LiveLines line;
    private final String label;
    private final long begin = System.nanoTime();
    private int total;
    private long lastDrawn = Long.MIN_VALUE;
    private int lastDone = -1;

    public ProgressLine(PrintStream out, boolean terminal, String label, int total) {
        this.out = out;
        this.terminal = terminal;
        this.line = new LiveLines(out, terminal, 1);
        this.label = label;
        this.total = total;
    }

    public void total(int newTotal) {
        this.total = newTotal;
    }

    /** Shows {@code done} of the total; {@code note} (may be empty) is appended, e.g. failures or a status. */
    public synchronized void update(int done, String note) {
        long now = System.nanoTime();
        boolean complete = total > 0 && done >= total;
        long every = terminal ? 200_000_000L : LOG_EVERY_MS * 1_000_000L;
        boolean due = lastDrawn == Long.MIN_VALUE || now - lastDrawn >= every;
        // A log gets the complete count once; a terminal line is redrawn in place anyway.
        if (!due && !(complete && (terminal || done != lastDone))) {
            return;
        }
        lastDrawn = now;
        lastDone = done;
        String text = render(done, total, (now - begin) / 1e9, note);
        line.set(0, text, text);
    }

    /** Ends the line and prints {@code summary} under it. */
    public synchronized void finish(String summary) {
        line.close();
        if (summary != null && !summary.isEmpty()) {
            out.println("  " + summary);
        }
        out.flush();
    }

    String render(int done, int total, double seconds, String note) {
        StringBuilder sb = new StringBuilder("  ").append(String.format(Locale.ROOT, "%-10s", label)).append(' ');
        if (total <= 0) {
            sb.append(clock(seconds));
            if (note != null && !note.isEmpty()) {
                sb.append("  ").append(note);
            }
            return sb.toString();
        }
        {
            int filled = (int) Math.round(WIDTH * Math.min(1.0, done / (double) total));
            sb.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ");
            sb.append(String.format(Locale.ROOT, "%d/%d", done, total));
        }
        // Below a second the rate is noise (a count that was already there when the line began).
        double rate = seconds >= 1 ? done / seconds : 0;
        sb.append(seconds >= 1 ? String.format(Locale.ROOT, "  %.1f/s", rate) : "  --/s");
        if (total > 0 && done < total) {
            sb.append("  ETA ").append(rate > 0 ? clock((total - done) / rate) : "--:--");
        }
        sb.append("  ").append(clock(seconds));
        if (note != null && !note.isEmpty()) {
            sb.append("  ").append(note);
        }
        return sb.toString();
    }

    public static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
