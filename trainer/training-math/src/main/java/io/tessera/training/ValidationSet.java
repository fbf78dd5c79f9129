package io.tessera.training;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A retrieval evaluation set for one task: queries, a gallery of candidates, and which candidates answer
 * which query. Built from pairs; items are de-duplicated by key, and a query's relevant candidates are all
 * those sharing a relevance group with it (by default the group is the paired candidate's key, so duplicates
 * of the same candidate count as one; give explicit groups when several distinct items are all correct,
 * e.g. every image of the same attribute combination).
 */
public final class ValidationSet {

    /** One relevant (query, candidate) pair; {@code group} may be null (then the candidate's key). */
    public record Pair(FeatureItem query, FeatureItem candidate, String group) {
        public Pair {
            if (query == null || candidate == null) {
                throw new InvalidTrainingInputException("a validation pair needs a query and a candidate");
            }
        }

        public Pair(FeatureItem query, FeatureItem candidate) {
            this(query, candidate, null);
        }
    }

    private final String task;
    private final List<FeatureItem> queries;
    private final List<FeatureItem> candidates;
    private final int[][] relevantCandidates; // per query
    private final int[][] relevantQueries;    // per candidate (empty for pure distractors)

    private ValidationSet(String task, List<FeatureItem> queries, List<FeatureItem> candidates,
                          int[][] relevantCandidates, int[][] relevantQueries) {
        this.task = task;
        this.queries = queries;
        this.candidates = candidates;
        this.relevantCandidates = relevantCandidates;
        this.relevantQueries = relevantQueries;
    }

    /**
     * @param distractors extra gallery candidates relevant to no query (may be empty)
     */
    public static ValidationSet of(String task, List<Pair> pairs, List<FeatureItem> distractors) {
        if (task == null || task.isBlank()) {
            throw new InvalidTrainingInputException("a validation set needs a task name");
        }
        if (pairs == null || pairs.isEmpty()) {
            throw new InvalidTrainingInputException("validation set of task '" + task + "' has no pairs");
        }
        Map<String, Integer> queryIndex = new LinkedHashMap<>();
        Map<String, Integer> candIndex = new LinkedHashMap<>();
        List<FeatureItem> queries = new ArrayList<>();
        List<FeatureItem> cands = new ArrayList<>();
        Map<String, List<Integer>> groupCands = new HashMap<>();
        Map<Integer, String> queryGroup = new HashMap<>();
        Map<Integer, String> candGroup = new HashMap<>();
        String queryTower = pairs.get(0).query().tower();
        String candTower = pairs.get(0).candidate().tower();
        for (Pair p : pairs) {
            if (!p.query().tower().equals(queryTower) || !p.candidate().tower().equals(candTower)) {
                throw new InvalidTrainingInputException("validation set of task '" + task + "' mixes towers: "
                        + queryTower + "->" + candTower + " and " + p.query().tower() + "->" + p.candidate().tower());
            }
            String group = p.group() != null ? p.group() : p.candidate().key();
            int q = queryIndex.computeIfAbsent(p.query().key(), k -> {
                queries.add(p.query());
                return queries.size() - 1;
            });
            String knownGroup = queryGroup.putIfAbsent(q, group);
            if (knownGroup != null && !knownGroup.equals(group)) {
                throw new InvalidTrainingInputException("query '" + p.query().key() + "' of task '" + task
                        + "' is in two relevance groups ('" + knownGroup + "', '" + group + "')");
            }
            int c = candIndex.computeIfAbsent(p.candidate().key(), k -> {
                cands.add(p.candidate());
                return cands.size() - 1;
            });
            String candidateGroup = candGroup.putIfAbsent(c, group);
            if (candidateGroup == null) {
                groupCands.computeIfAbsent(group, g -> new ArrayList<>()).add(c);
            } else if (!candidateGroup.equals(group)) {
                throw new InvalidTrainingInputException("candidate '" + p.candidate().key() + "' of task '" + task
                        + "' is in two relevance groups ('" + candidateGroup + "', '" + group + "')");
            }
        }
        for (FeatureItem d : distractors == null ? List.<FeatureItem>of() : distractors) {
            if (!d.tower().equals(candTower)) {
                throw new InvalidTrainingInputException("distractor '" + d.key() + "' is in tower '" + d.tower()
                        + "', the gallery of task '" + task + "' is in '" + candTower + "'");
            }
            candIndex.computeIfAbsent(d.key(), k -> {
                cands.add(d);
                return cands.size() - 1;
            });
        }
        int[][] relC = new int[queries.size()][];
        for (int q = 0; q < queries.size(); q++) {
            relC[q] = groupCands.get(queryGroup.get(q)).stream().mapToInt(Integer::intValue).toArray();
        }
        List<List<Integer>> relQ = new ArrayList<>();
        for (int c = 0; c < cands.size(); c++) {
            relQ.add(new ArrayList<>());
        }
        for (int q = 0; q < queries.size(); q++) {
            for (int c : relC[q]) {
                relQ.get(c).add(q);
            }
        }
        int[][] relQArr = new int[cands.size()][];
        for (int c = 0; c < cands.size(); c++) {
            relQArr[c] = relQ.get(c).stream().mapToInt(Integer::intValue).toArray();
        }
        return new ValidationSet(task, List.copyOf(queries), List.copyOf(cands), relC, relQArr);
    }

    public static ValidationSet of(String task, List<Pair> pairs) {
        return of(task, pairs, List.of());
    }

    public String task() {
        return task;
    }

    public List<FeatureItem> queries() {
        return queries;
    }

    public List<FeatureItem> candidates() {
        return candidates;
    }

    /** Indices into {@link #candidates()} relevant to query {@code q}. */
    public int[] relevantCandidates(int q) {
        return relevantCandidates[q].clone();
    }

    /** Indices into {@link #queries()} relevant to candidate {@code c} (empty for a distractor). */
    public int[] relevantQueries(int c) {
        return relevantQueries[c].clone();
    }

    int[][] relevantCandidatesUnsafe() {
        return relevantCandidates;
    }

    int[][] relevantQueriesUnsafe() {
        return relevantQueries;
    }
}
