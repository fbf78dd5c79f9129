package io.tessera.demo.run;

import io.tessera.demo.dataset.Task;
import java.util.Locale;
import java.util.Map;

/** The before/after table the demo prints: one row per task, recall@1 before and after, then @5 and @10. */
public final class ResultsTable {

    /** The header's first words; the IT finds the table by them. */
    public static final String HEADER_START = "TASK";

    private ResultsTable() {
    }

    public static String taskName(Task task) {
        return switch (task) {
            case T2I -> "text -> image";
            case T2V -> "text -> video moment";
            case T2D -> "text -> document page";
            case T2T -> "text -> text passage";
        };
    }

    public static String format(String modelName, Map<Task, Recall> before, Map<Task, Recall> after) {
        int versionBefore = before.values().stream().mapToInt(Recall::modelVersion).findFirst().orElse(-1);
        int versionAfter = after.values().stream().mapToInt(Recall::modelVersion).findFirst().orElse(-1);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "retrieval on held-out queries, %s: before = v%d (default), after = v%d"
                + " (trained)%n", modelName, versionBefore, versionAfter));
        out.append(String.format(Locale.ROOT, "%-22s %7s  %10s %9s  %10s %9s  %11s %10s%n", HEADER_START, "QUERIES",
                "R@1 BEFORE", "R@1 AFTER", "R@5 BEFORE", "R@5 AFTER", "R@10 BEFORE", "R@10 AFTER"));
        for (Task task : Task.values()) {
            Recall b = before.get(task);
            Recall a = after.get(task);
            if (b == null || a == null) {
                continue;
            }
            out.append(String.format(Locale.ROOT, "%-22s %7d  %10.3f %9.3f  %10.3f %9.3f  %11.3f %10.3f%n", taskName(task),
                    b.queries(), b.at(1), a.at(1), b.at(5), a.at(5), b.at(10), a.at(10)));
        }
        return out.toString();
    }
}
