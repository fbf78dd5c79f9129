package io.tessera.search.internal;

import io.tessera.client.api.SearchResult;
import io.tessera.client.api.SegmentMatch;
import io.tessera.vectorstore.SearchHit;
import io.tessera.vectorstore.VectorFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns Milvus rows (best first) into what people expect from a search: one hit per item, scored by its best row,
 * with a video's best moments, a document's best pages and a long text's best chunks. A plain function, so the
 * rules are unit-tested without a server.
 */
public final class HitGrouping {

    private HitGrouping() {
    }

    /**
     * @param rows           search rows, best first (as Milvus returns them)
     * @param topK           the most items returned
     * @param maxSegments    the most moments/pages/chunks listed per item
     * @param excludeMediaId an item to leave out (the query item of a more-like-this search), or null
     */
    public static List<SearchResult> group(List<SearchHit> rows, int topK, int maxSegments, String excludeMediaId) {
        Map<String, List<SearchHit>> byItem = new LinkedHashMap<>();
        for (SearchHit row : sortedBestFirst(rows)) {
            if (row.mediaId().equals(excludeMediaId)) {
                continue;
            }
            List<SearchHit> item = byItem.get(row.mediaId());
            if (item == null) {
                if (byItem.size() == topK) {
                    // Items are created in order of their best row, so any later item ranks below the topK kept.
                    continue;
                }
                item = new ArrayList<>();
                byItem.put(row.mediaId(), item);
            }
            item.add(row);
        }
        List<SearchResult> out = new ArrayList<>(byItem.size());
        for (List<SearchHit> itemRows : byItem.values()) {
            out.add(itemResult(itemRows, maxSegments));
        }
        return out;
    }

    /** Rows as hits of their own (the {@code rawSegments} option), best first. */
    public static List<SearchResult> raw(List<SearchHit> rows, int topK, String excludeMediaId) {
        List<SearchResult> out = new ArrayList<>();
        for (SearchHit row : sortedBestFirst(rows)) {
            if (out.size() == topK) {
                break;
            }
            if (!row.mediaId().equals(excludeMediaId)) {
                out.add(new SearchResult(row.mediaId(), row.modality(), row.segment(), row.startMs(), row.endMs(),
                        pageOf(row), row.score(), row.attributes(), null, null, null).withPassage(row.passage()));
            }
        }
        return out;
    }

    /** The number of distinct items among the rows, leaving out {@code excludeMediaId}. */
    public static int distinctItems(List<SearchHit> rows, String excludeMediaId) {
        return (int) rows.stream().map(SearchHit::mediaId).filter(m -> !m.equals(excludeMediaId)).distinct().count();
    }

    private static List<SearchHit> sortedBestFirst(List<SearchHit> rows) {
        // Milvus returns rows best first already; a stable sort keeps its order for ties and guards against a
        // backend that does not.
        List<SearchHit> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingDouble((SearchHit h) -> h.score()).reversed());
        return sorted;
    }

    private static SearchResult itemResult(List<SearchHit> rows, int maxSegments) {
        SearchHit best = rows.getFirst();
        List<SegmentMatch> segments = rows.stream()
                .filter(r -> r.segment() != VectorFields.WHOLE_ITEM)
                .limit(maxSegments)
                .map(r -> new SegmentMatch(r.segment(), r.startMs(), r.endMs(), pageOf(r), r.score(), r.passage()))
                .toList();
        List<SegmentMatch> moments = null;
        List<SegmentMatch> pages = null;
        List<SegmentMatch> chunks = null;
        if (!segments.isEmpty()) {
            switch (best.modality()) {
                case "VIDEO" -> moments = segments;
                case "DOCUMENT" -> pages = segments;
                default -> chunks = segments;
            }
        }
        return new SearchResult(best.mediaId(), best.modality(), best.segment(), best.startMs(), best.endMs(),
                pageOf(best), best.score(), best.attributes(), moments, pages, chunks).withPassage(best.passage());
    }

    private static Integer pageOf(SearchHit row) {
        return "DOCUMENT".equals(row.modality()) && row.segment() != VectorFields.WHOLE_ITEM ? row.segment() + 1 : null;
    }
}
