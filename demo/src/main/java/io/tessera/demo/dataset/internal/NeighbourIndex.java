package io.tessera.demo.dataset.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Finds, for an attribute tuple, the tuples that differ from it in exactly one (allowed) position, in time linear in
 * the number of tuples: each tuple is filed under its key with one position masked, and two tuples share such a
 * key exactly when they agree everywhere else.
 */
public final class NeighbourIndex {

    private static final String MASK = "\u0000*";

    private final List<List<String>> tuples;
    private final Map<List<String>, List<Integer>> buckets = new HashMap<>();

    public NeighbourIndex(List<List<String>> tuples) {
        this.tuples = List.copyOf(tuples);
        for (int i = 0; i < tuples.size(); i++) {
            List<String> tuple = tuples.get(i);
            for (int position = 0; position < tuple.size(); position++) {
                buckets.computeIfAbsent(masked(tuple, position), k -> new ArrayList<>()).add(i);
            }
        }
    }

    private static List<String> masked(List<String> tuple, int position) {
        List<String> key = new ArrayList<>(tuple);
        key.set(position, MASK);
        key.add(Integer.toString(position));
        return key;
    }

    /** Indices of tuples that differ from {@code tuple} in exactly one of {@code positions}, grouped by position. */
    public Map<Integer, List<Integer>> neighbours(List<String> tuple, Set<Integer> positions) {
        Map<Integer, List<Integer>> out = new LinkedHashMap<>();
        for (int position = 0; position < tuple.size(); position++) {
            if (!positions.contains(position)) {
                continue;
            }
            for (int j : buckets.getOrDefault(masked(tuple, position), List.of())) {
                if (!tuples.get(j).get(position).equals(tuple.get(position))) {
                    out.computeIfAbsent(position, k -> new ArrayList<>()).add(j);
                }
            }
        }
        return out;
    }

    /**
     * Up to {@code max} neighbours, spread over the differing attributes: one per attribute in a random order of
     * attributes, then a second round, and so on, so a pair's negatives test different attributes.
     */
    public List<Integer> pick(List<String> tuple, Set<Integer> positions, int max, Random random) {
        Map<Integer, List<Integer>> byPosition = neighbours(tuple, positions);
        List<List<Integer>> groups = new ArrayList<>();
        for (List<Integer> group : byPosition.values()) {
            List<Integer> shuffled = new ArrayList<>(group);
            Collections.shuffle(shuffled, random);
            groups.add(shuffled);
        }
        Collections.shuffle(groups, random);
        List<Integer> out = new ArrayList<>();
        for (int round = 0; out.size() < max; round++) {
            boolean any = false;
            for (List<Integer> group : groups) {
                if (round < group.size() && out.size() < max) {
                    out.add(group.get(round));
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        return out;
    }
}
