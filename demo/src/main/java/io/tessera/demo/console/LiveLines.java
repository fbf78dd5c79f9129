package io.tessera.demo.console;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The one progress renderer of the command line and the demo: a fixed set of rows that a terminal shows redrawn in
 * place (the cursor moved back over them with ANSI escapes) and a log (CI, a pipe) gets as plain lines, only those a
 * caller marks as worth a line. What a row says and when a change is worth a log line is the caller's: a progress bar
 * ({@link ProgressLine}), or the parts of the local stack starting side by side (the CLI's ConsoleProgress).
 * Hand-written: the reachable terminal libraries (JLine, Lanterna) take over the terminal, which a command whose
 * output is also read by scripts must not do. Thread-safe.
 */
public final class LiveLines implements AutoCloseable {

    private final PrintStream out;
    private final boolean terminal;
    private final List<String> rows;
    private int drawn;

    public LiveLines(PrintStream out, boolean terminal, int rows) {
        this.out = out;
        this.terminal = terminal;
        this.rows = new ArrayList<>(Collections.nCopies(rows, ""));
    }

    public boolean terminal() {
        return terminal;
    }

    /**
     * Sets one row: on a terminal every row is redrawn in place; in a log {@code logLine} is printed, when not null.
     */
    public synchronized void set(int row, String text, String logLine) {
        rows.set(row, text);
        if (terminal) {
            redraw();
        } else if (logLine != null) {
            out.println(logLine);
            out.flush();
        }
    }

    /** Sets every row at once (a clock that moves on all of them): one redraw on a terminal, nothing in a log. */
    public synchronized void setAll(List<String> texts) {
        for (int i = 0; i < rows.size() && i < texts.size(); i++) {
            rows.set(i, texts.get(i));
        }
        if (terminal) {
            redraw();
        }
    }

    private void redraw() {
        StringBuilder sb = new StringBuilder();
        if (drawn > 0) {
            sb.append("\033[").append(drawn).append('F');
        }
        for (String row : rows) {
            sb.append(row).append("\033[K\n");
        }
        drawn = rows.size();
        out.print(sb);
        out.flush();
    }

    /** Later output goes below the rows; they are not redrawn again. */
    @Override
    public synchronized void close() {
        drawn = 0;
        out.flush();
    }
}
