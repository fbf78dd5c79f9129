package io.tessera.demo.run;

import io.tessera.demo.dataset.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether training helped, with the uncertainty the number of held-out queries leaves: per task and k, recall before
 * and after with 95 % Wilson intervals, and the paired change (the same queries before and after) with its 95 %
 * normal interval. Training passes when the mean recall over tasks and k rises and no task's change is significantly
 * negative (the upper end of its interval below zero) at any k.
 */
public final class RecallComparison {

    /** The k of recall@k the verdict considers. */
    static final int[] KS = {1, 5, 10};
    private static final double Z95 = 1.959964;

    /** One task at one k. */
    public record Change(Task task, int k, int queries, double before, double after, double low, double high) {
        public boolean regressed() {
            return high < 0;
        }

        public double change() {
            return after - before;
        }
    }

    /** The verdict: mean recall over every task and k, before and after, and the changes that regressed. */
    public record Verdict(double meanBefore, double meanAfter, List<Change> changes) {
        public List<Change> regressions() {
            return changes.stream().filter(Change::regressed).toList();
        }

        public boolean improved() {
            return meanAfter > meanBefore;
        }

        public boolean passed() {
            return improved() && regressions().isEmpty();
        }
    }

    private RecallComparison() {
    }

    public static Verdict compare(Map<Task, Recall> before, Map<Task, Recall> after) {
        List<Change> changes = new ArrayList<>();
        double sumBefore = 0;
        double sumAfter = 0;
        for (Task task : Task.values()) {
            Recall b = before.get(task);
            Recall a = after.get(task);
            if (b == null || a == null || b.queries() == 0 || b.queries() != a.queries()) {
                continue;
            }
            for (int k : KS) {
                changes.add(change(task, k, b, a));
                sumBefore += b.at(k);
                sumAfter += a.at(k);
            }
        }
        int n = Math.max(1, changes.size());
        return new Verdict(sumBefore / n, sumAfter / n, changes);
    }

    /** The paired difference of hit@k over the same queries, with a normal 95 % interval of its mean. */
    static Change change(Task task, int k, Recall before, Recall after) {
        int n = before.queries();
        double[] d = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            d[i] = hit(after.ranks().get(i), k) - hit(before.ranks().get(i), k);
            mean += d[i];
        }
        mean /= n;
        double var = 0;
        for (double x : d) {
            var += (x - mean) * (x - mean);
        }
        double se = n > 1 ? Math.sqrt(var / (n - 1) / n) : 1;
        return new Change(task, k, n, before.at(k), after.at(k), mean - Z95 * se, mean + Z95 * se);
    }

    private static double hit(int rank, int k) {
        return rank > 0 && rank <= k ? 1 : 0;
    }

    /** The 95 % Wilson interval of a proportion p over n trials, as {low, high}. */
    static double[] wilson(double p, int n) {
        if (n == 0) {
            return new double[] {0, 1};
        }
        double z2 = Z95 * Z95;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    /** The section the demo prints under the table: intervals per task at recall@5, then the verdict line. */
    public static String format(Verdict v) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-22s %7s  %-22s %-22s %-24s%n", "95 % INTERVALS, R@5", "QUERIES",
                "BEFORE", "AFTER", "CHANGE (paired)"));
        for (Change c : v.changes()) {
            if (c.k() != 5) {
                continue;
            }
            double[] b = wilson(c.before(), c.queries());
            double[] a = wilson(c.after(), c.queries());
            out.append(String.format(Locale.ROOT, "%-22s %7d  %.3f [%.3f, %.3f]  %.3f [%.3f, %.3f]  %+.3f [%+.3f, %+.3f]%n",
                    ResultsTable.taskName(c.task()), c.queries(), c.before(), b[0], b[1], c.after(), a[0], a[1],
                    c.change(), c.low(), c.high()));
        }
        List<String> regressed = v.regressions().stream()
                .map(c -> ResultsTable.taskName(c.task()) + " R@" + c.k() + String.format(Locale.ROOT, " %+.3f", c.change()))
                .toList();
        out.append(String.format(Locale.ROOT, "verdict: mean recall over tasks and k %.3f -> %.3f (%s); regressions"
                        + " beyond the 95 %% interval: %s%n", v.meanBefore(), v.meanAfter(),
                v.improved() ? "improved" : "not improved", regressed.isEmpty() ? "none" : String.join(", ", regressed)));
        return out.toString();
    }
}
