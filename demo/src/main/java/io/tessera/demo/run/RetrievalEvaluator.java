package io.tessera.demo.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.demo.dataset.EvalQuery;
import io.tessera.demo.dataset.EvalTarget;
import io.tessera.demo.dataset.Task;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Runs the held-out queries through search-api and scores them. Images and texts are ranked as items (one hit per
 * item). Moments and pages are ranked as what they are, search-api's raw segment rows (a video frame, a document
 * page): a row is right when it belongs to the expected item and, for a video, its time span ({@code startMs} to
 * {@code endMs}) meets the annotated moment within {@value #MOMENT_TOLERANCE_MS} ms; for a document, it is the expected page. A
 * whole-item row (segment -1) points at no moment or page and is never right for those tasks.
 */
final class RetrievalEvaluator {

    static final int TOP_K = 10;
    static final long MOMENT_TOLERANCE_MS = 1_000;

    private final SearchClient search;
    private final String tenant;
    private String fusion = "none";

    RetrievalEvaluator(SearchClient search, String tenant) {
        this.search = search;
        this.tenant = tenant;
    }

    /**
     * @param progress called with the number of queries answered so far
     * @return per task, in {@link Task} order, only tasks that have queries
     */
    Map<Task, Recall> evaluate(List<EvalQuery> queries, IntConsumer progress) throws IOException, InterruptedException {
        return evaluate(queries, false, null, progress);
    }

    /**
     * @param allModalities search every modality at once (as a person does who just types a query) instead of the
     *                      expected item's own modality; the fusion search-api used is in {@link #fusion()}
     * @param fusion        the fusion to ask search-api for (null: its own setting)
     */
    Map<Task, Recall> evaluate(List<EvalQuery> queries, boolean allModalities, String fusion, IntConsumer progress)
            throws IOException, InterruptedException {
        Map<Task, List<Integer>> ranks = new EnumMap<>(Task.class);
        int version = -1;
        int answered = 0;
        for (EvalQuery q : queries) {
            JsonNode answer = search.search(q.text(), tenant, allModalities ? null : q.expected().modality().name(),
                    TOP_K, rankedBySegment(q.expected()), fusion);
            if (answer.hasNonNull("fusion")) {
                this.fusion = answer.get("fusion").asText();
            }
            int v = SearchClient.modelVersion(answer);
            if (version == -1) {
                version = v;
            } else if (v != version) {
                throw new IllegalStateException("search-api switched model version during the evaluation (" + version
                        + " -> " + v + "): the evaluation would mix versions");
            }
            ranks.computeIfAbsent(q.task(), t -> new ArrayList<>()).add(rank(q, SearchClient.hits(answer)));
            progress.accept(++answered);
        }
        Map<Task, Recall> out = new EnumMap<>(Task.class);
        for (var e : ranks.entrySet()) {
            out.put(e.getKey(), new Recall(e.getKey(), version, e.getValue()));
        }
        return out;
    }

    /** How search-api merged modalities in the last all-modality evaluation ({@code none} if it never did). */
    String fusion() {
        return fusion;
    }

    /** Videos and documents are ranked by their frames and pages. */
    static boolean rankedBySegment(EvalTarget expected) {
        return switch (expected.modality()) {
            case VIDEO, DOCUMENT -> true;
            case IMAGE, TEXT -> false;
        };
    }

    /** The 1-based rank of the first right hit, 0 when none is right. */
    static int rank(EvalQuery q, List<JsonNode> hits) {
        for (int i = 0; i < hits.size(); i++) {
            if (isRight(q.expected(), hits.get(i))) {
                return i + 1;
            }
        }
        return 0;
    }

    static boolean isRight(EvalTarget expected, JsonNode hit) {
        if (!expected.mediaId().equals(hit.path("mediaId").asText())) {
            return false;
        }
        return switch (expected.modality()) {
            case VIDEO -> {
                // A moment row spans [startMs, endMs] (one sampled frame, or a run of near-identical frames merged
                // into one moment): right when that span meets the annotated moment, give or take the tolerance.
                JsonNode start = hit.get("startMs");
                JsonNode end = hit.get("endMs");
                long from = start != null && start.isNumber() ? start.asLong() : Long.MIN_VALUE;
                long to = end != null && end.isNumber() ? end.asLong() : from;
                yield hit.path("segment").asInt(-1) >= 0 && start != null && start.isNumber()
                        && from <= expected.endMs() + MOMENT_TOLERANCE_MS
                        && to >= expected.startMs() - MOMENT_TOLERANCE_MS;
            }
            case DOCUMENT -> {
                JsonNode page = hit.get("page");
                yield hit.path("segment").asInt(-1) >= 0 && page != null && page.isNumber()
                        && page.asInt() == expected.page();
            }
            case IMAGE, TEXT -> true;
        };
    }
}
