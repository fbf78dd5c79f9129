package io.tessera.demo.run;

import io.tessera.demo.dataset.Task;
import java.util.Locale;
import java.util.Map;

/**
 * The held-out queries searched the way a person searches, over every modality at once, against the same queries
 * searched within the right answer's own modality: how often the right item is in the top 10 each way. search-api
 * must rank across modalities fairly enough that the first is at least {@value #GOAL} of the second.
 */
public final class AllModalitiesTable {

    /** The least share of own-modality recall@10 that a search over every modality must keep. */
    public static final double GOAL = 0.9;

    private AllModalitiesTable() {
    }

    /** Recall@10 over every query of every task (queries weigh equally). */
    public static double overall(Map<Task, Recall> recall) {
        long hits = 0;
        long queries = 0;
        for (Recall r : recall.values()) {
            hits += Math.round(r.at(RetrievalEvaluator.TOP_K) * r.queries());
            queries += r.queries();
        }
        return queries == 0 ? 0 : hits / (double) queries;
    }

    public static String format(Map<Task, Recall> own, Map<Task, Recall> all, String fusion) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "every modality at once (search-api fusion: %s) vs the answer's own modality,"
                + " recall@10:%n", fusion));
        out.append(String.format(Locale.ROOT, "  %-22s %7s %7s %9s%n", "task", "own", "all", "all/own"));
        for (var e : own.entrySet()) {
            Recall a = all.get(e.getKey());
            double o = e.getValue().at(RetrievalEvaluator.TOP_K);
            double x = a == null ? 0 : a.at(RetrievalEvaluator.TOP_K);
            out.append(String.format(Locale.ROOT, "  %-22s %7.3f %7.3f %9s%n", ResultsTable.taskName(e.getKey()), o, x,
                    ratio(x, o)));
        }
        double o = overall(own);
        double x = overall(all);
        out.append(String.format(Locale.ROOT, "  %-22s %7.3f %7.3f %9s  (goal: at least %.2f)%n", "all tasks", o, x,
                ratio(x, o), GOAL));
        return out.toString();
    }

    private static String ratio(double all, double own) {
        return own == 0 ? "-" : String.format(Locale.ROOT, "%.3f", all / own);
    }
}
