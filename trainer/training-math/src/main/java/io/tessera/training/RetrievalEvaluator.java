package io.tessera.training;

import io.tessera.training.internal.Linalg;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Recall@k of a set of projections on validation sets, by exhaustive cosine search (the galleries are
 * validation-sized). Ties count against the model: a relevant item is ranked after every irrelevant item with
 * an equal score, so a collapsed embedding cannot score well by accident.
 */
public final class RetrievalEvaluator {

    private RetrievalEvaluator() {
    }

    public static RetrievalReport evaluate(List<ValidationSet> sets, Map<String, Projection> projections) {
        Map<String, RetrievalMetrics> out = new TreeMap<>();
        for (ValidationSet set : sets) {
            if (out.put(set.task(), evaluate(set, projections)) != null) {
                throw new InvalidTrainingInputException("two validation sets for task '" + set.task() + "'");
            }
        }
        return new RetrievalReport(out);
    }

    public static RetrievalMetrics evaluate(ValidationSet set, Map<String, Projection> projections) {
        double[][] q = embed(set.queries(), projections);
        double[][] c = embed(set.candidates(), projections);
        if (q[0].length != c[0].length) {
            throw new InvalidTrainingInputException("task '" + set.task() + "': query embeddings have " + q[0].length
                    + " dimensions, candidate embeddings " + c[0].length);
        }
        double[][] scores = new double[q.length][c.length];
        IntStream.range(0, q.length).parallel().forEach(i -> {
            for (int j = 0; j < c.length; j++) {
                scores[i][j] = Linalg.dot(q[i], c[j]);
            }
        });
        int[] qRanks = new int[q.length];
        for (int i = 0; i < q.length; i++) {
            qRanks[i] = rank(scores[i], set.relevantCandidatesUnsafe()[i]);
        }
        int[][] relQ = set.relevantQueriesUnsafe();
        int anchored = 0;
        int[] cRanks = new int[c.length];
        double[] column = new double[q.length];
        for (int j = 0; j < c.length; j++) {
            if (relQ[j].length == 0) {
                cRanks[j] = -1;
                continue;
            }
            anchored++;
            for (int i = 0; i < q.length; i++) {
                column[i] = scores[i][j];
            }
            cRanks[j] = rank(column, relQ[j]);
        }
        return new RetrievalMetrics(set.task(), recall(qRanks), recall(cRanks), q.length, c.length);
    }

    /** 1-based rank of the best relevant item: 1 + the number of irrelevant items scoring at least as high. */
    static int rank(double[] scores, int[] relevant) {
        double best = Double.NEGATIVE_INFINITY;
        boolean[] isRelevant = new boolean[scores.length];
        for (int r : relevant) {
            isRelevant[r] = true;
            best = Math.max(best, scores[r]);
        }
        int rank = 1;
        for (int j = 0; j < scores.length; j++) {
            if (!isRelevant[j] && scores[j] >= best) {
                rank++;
            }
        }
        return rank;
    }

    private static RetrievalMetrics.Recall recall(int[] ranks) {
        int n = 0;
        int at1 = 0;
        int at5 = 0;
        int at10 = 0;
        for (int r : ranks) {
            if (r < 0) {
                continue;
            }
            n++;
            at1 += r <= 1 ? 1 : 0;
            at5 += r <= 5 ? 1 : 0;
            at10 += r <= 10 ? 1 : 0;
        }
        return new RetrievalMetrics.Recall((double) at1 / n, (double) at5 / n, (double) at10 / n);
    }

    private static double[][] embed(List<FeatureItem> items, Map<String, Projection> projections) {
        double[][] out = new double[items.size()][];
        IntStream.range(0, items.size()).parallel().forEach(i -> {
            FeatureItem item = items.get(i);
            Projection p = projections.get(item.tower());
            if (p == null) {
                throw new InvalidTrainingInputException("no projection for tower '" + item.tower() + "' (item '"
                        + item.key() + "')");
            }
            out[i] = p.embed(item.features());
        });
        return out;
    }
}
