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

    /**
     * @param own   the queries within the answer's own modality
     * @param fused over every modality, merged the way search-api merges by default ({@code fusion})
     * @param raw   over every modality, merged by raw cosine
     */
    public static String format(Map<Task, Recall> own, Map<Task, Recall> fused, Map<Task, Recall> raw, String fusion) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "every modality at once (search-api fusion: %s; raw: merged by cosine) vs"
                + " the answer's own modality, recall@10:%n", fusion));
        out.append(String.format(Locale.ROOT, "  %-22s %7s %7s %9s %7s %9s%n", "task", "own", "fused", "fused/own",
                "raw", "raw/own"));
        for (var e : own.entrySet()) {
            double o = e.getValue().at(RetrievalEvaluator.TOP_K);
            double f = at10(fused.get(e.getKey()));
            double r = at10(raw.get(e.getKey()));
            out.append(String.format(Locale.ROOT, "  %-22s %7.3f %7.3f %9s %7.3f %9s%n", ResultsTable.taskName(e.getKey()),
                    o, f, ratio(f, o), r, ratio(r, o)));
        }
        double o = overall(own);
        double f = overall(fused);
        double r = overall(raw);
        out.append(String.format(Locale.ROOT, "  %-22s %7.3f %7.3f %9s %7.3f %9s  (goal: fused/own at least %.2f)%n",
                "all tasks", o, f, ratio(f, o), r, ratio(r, o), GOAL));
        return out.toString();
    }

    private static double at10(Recall r) {
        return r == null ? 0 : r.at(RetrievalEvaluator.TOP_K);
    }

    private static String ratio(double all, double own) {
        return own == 0 ? "-" : String.format(Locale.ROOT, "%.3f", all / own);
    }
}
