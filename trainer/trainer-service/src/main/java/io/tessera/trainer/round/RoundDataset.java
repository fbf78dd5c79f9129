package io.tessera.trainer.round;

import io.tessera.events.CuratedPair;
import io.tessera.events.Item;
import io.tessera.trainer.features.FeatureExtractor.Outcome;
import io.tessera.trainer.features.FeatureExtractor.Request;
import io.tessera.trainer.features.FeatureExtractor.Role;
import io.tessera.training.Example;
import io.tessera.training.FeatureItem;
import io.tessera.training.ValidationSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A round's data: the buffered pairs, featurised, split into training examples and per-task validation sets.
 * A pair whose query or positive cannot be featurised is left out of this round: for good when its content is bad
 * (counted by reason), or until a later round when the failure may pass (the item is not in the catalog yet).
 * A negative that cannot be featurised, or that is not in its positive's tower, is dropped from its pair.
 *
 * @param training        training examples
 * @param validation      one retrieval set per task (and tower pair); its gallery holds the validation positives and,
 *                        as distractors, their curated negatives
 * @param trainPairs      pairs in {@code training}
 * @param validationPairs pairs in {@code validation}
 * @param excluded        pairs left out for good, by reason
 * @param deferred        pairs left out until a later round
 * @param droppedNegatives negatives dropped from their pairs
 */
public record RoundDataset(List<Example> training, List<ValidationSet> validation, int trainPairs, int validationPairs,
                           Map<String, Integer> excluded, int deferred, int droppedNegatives) {

    /** Featurises and splits {@code pairs}. */
    public static RoundDataset build(List<CuratedPair> pairs, PairSplit split,
                                     Function<List<Request>, List<Outcome>> featurise) {
        List<Request> requests = new ArrayList<>();
        int[] firstRequest = new int[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            CuratedPair p = pairs.get(i);
            firstRequest[i] = requests.size();
            requests.add(new Request(p.getQuery(), Role.QUERY));
            requests.add(new Request(p.getPositive(), Role.CANDIDATE));
            for (Item n : p.getNegatives()) {
                requests.add(new Request(n, Role.CANDIDATE));
            }
        }
        List<Outcome> outcomes = requests.isEmpty() ? List.of() : featurise.apply(requests);
        List<Example> training = new ArrayList<>();
        Map<String, List<Example>> validationByTask = new LinkedHashMap<>();
        Map<String, Integer> excluded = new TreeMap<>();
        int deferred = 0;
        int dropped = 0;
        for (int i = 0; i < pairs.size(); i++) {
            CuratedPair p = pairs.get(i);
            int at = firstRequest[i];
            Outcome q = outcomes.get(at);
            Outcome pos = outcomes.get(at + 1);
            Outcome.Failed failed = q instanceof Outcome.Failed f ? f : pos instanceof Outcome.Failed f2 ? f2 : null;
            if (failed != null) {
                if (failed.transientFailure()) {
                    deferred++;
                } else {
                    excluded.merge(shortReason(failed.reason()), 1, Integer::sum);
                }
                continue;
            }
            FeatureItem query = ((Outcome.Ok) q).item();
            FeatureItem positive = ((Outcome.Ok) pos).item();
            List<FeatureItem> negatives = new ArrayList<>();
            for (int k = 0; k < p.getNegatives().size(); k++) {
                Outcome n = outcomes.get(at + 2 + k);
                if (n instanceof Outcome.Ok ok && ok.item().tower().equals(positive.tower())) {
                    negatives.add(ok.item());
                } else {
                    dropped++;
                }
            }
            double weight = p.getWeight() > 0 && Double.isFinite(p.getWeight()) ? p.getWeight() : 1.0;
            Example example = new Example(p.getTask(), query, positive, negatives, weight);
            if (split.isValidation(p.getPairId())) {
                validationByTask.computeIfAbsent(p.getTask(), t -> new ArrayList<>()).add(example);
            } else {
                training.add(example);
            }
        }
        List<ValidationSet> validation = new ArrayList<>();
        int validationPairs = 0;
        for (Map.Entry<String, List<Example>> e : validationByTask.entrySet()) {
            Map<String, List<Example>> byTowers = new LinkedHashMap<>();
            for (Example ex : e.getValue()) {
                byTowers.computeIfAbsent(ex.query().tower() + "->" + ex.positive().tower(), k -> new ArrayList<>()).add(ex);
            }
            for (Map.Entry<String, List<Example>> t : byTowers.entrySet()) {
                String name = byTowers.size() == 1 ? e.getKey() : e.getKey() + "[" + t.getKey() + "]";
                validation.add(validationSet(name, t.getValue()));
                validationPairs += t.getValue().size();
            }
        }
        return new RoundDataset(List.copyOf(training), List.copyOf(validation), training.size(), validationPairs,
                excluded, deferred, dropped);
    }

    /**
     * Relevance groups are the connected components of the query–positive graph, so a query paired with several
     * positives counts each of them as right, and a positive shared by several queries is right for each of them.
     */
    static ValidationSet validationSet(String task, List<Example> examples) {
        Map<String, String> parent = new HashMap<>();
        for (Example ex : examples) {
            union(parent, "q:" + ex.query().key(), "c:" + ex.positive().key());
        }
        List<ValidationSet.Pair> pairs = new ArrayList<>();
        List<FeatureItem> distractors = new ArrayList<>();
        for (Example ex : examples) {
            pairs.add(new ValidationSet.Pair(ex.query(), ex.positive(), find(parent, "q:" + ex.query().key())));
            for (FeatureItem n : ex.negatives()) {
                if (!parent.containsKey("c:" + n.key())) {
                    distractors.add(n);
                }
            }
        }
        return ValidationSet.of(task, pairs, distractors);
    }

    private static String find(Map<String, String> parent, String x) {
        parent.putIfAbsent(x, x);
        String root = x;
        while (!parent.get(root).equals(root)) {
            root = parent.get(root);
        }
        String cur = x;
        while (!parent.get(cur).equals(root)) {
            String next = parent.get(cur);
            parent.put(cur, root);
            cur = next;
        }
        return root;
    }

    private static void union(Map<String, String> parent, String a, String b) {
        String ra = find(parent, a);
        String rb = find(parent, b);
        if (!ra.equals(rb)) {
            // The smaller name wins, so groups do not depend on pair order.
            if (ra.compareTo(rb) < 0) {
                parent.put(rb, ra);
            } else {
                parent.put(ra, rb);
            }
        }
    }

    private static String shortReason(String reason) {
        int colon = reason.indexOf(':');
        return colon > 0 && colon < 40 ? reason.substring(0, colon) : reason.length() > 80 ? reason.substring(0, 80) : reason;
    }

    public int examples() {
        return trainPairs + validationPairs;
    }
}
