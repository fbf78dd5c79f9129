package io.tessera.cli;

import io.tessera.client.api.SearchResponse;
import io.tessera.client.api.SearchResult;
import io.tessera.client.api.SegmentMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Formats a search answer as the fixed-width table {@code ./tessera search} prints. */
public final class ResultTable {

    private ResultTable() {
    }

    public static String format(SearchResponse r) {
        StringBuilder out = new StringBuilder();
        if (r.model() == null) {
            out.append("nothing indexed yet for tenant ").append(r.tenant()).append('\n');
            return out.toString();
        }
        out.append(String.format(Locale.ROOT, "model %s v%d · collection %s · tenant %s · %d ms%n",
                r.model().name(), r.model().version(), r.collection(), r.tenant(), r.tookMs()));
        if (r.hits().isEmpty()) {
            out.append("no results\n");
            return out.toString();
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"#", "SCORE", "MODALITY", "MEDIA ID", "WHERE", "NAME"});
        // Ranks continue across pages: the second page of ten starts at 11.
        int rank = (r.offset() == null ? 0 : r.offset()) + 1;
        for (SearchResult h : r.hits()) {
            rows.add(new String[] {Integer.toString(rank++), String.format(Locale.ROOT, "%.3f", h.score()),
                    h.modality(), h.mediaId(), where(h), name(h.attributes())});
        }
        int[] widths = new int[rows.getFirst().length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                boolean last = i == row.length - 1;
                line.append(last ? row[i] : pad(row[i], widths[i], i <= 1)).append(last ? "" : "  ");
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    static String where(SearchResult h) {
        List<SegmentMatch> segments = h.moments() != null ? h.moments() : h.pages() != null ? h.pages() : h.chunks();
        if (segments != null && !segments.isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (SegmentMatch s : segments) {
                parts.add(segment(h.modality(), s.segment(), s.startMs(), s.endMs(), s.page()));
            }
            return String.join(", ", parts);
        }
        return h.segment() < 0 ? "" : segment(h.modality(), h.segment(), h.startMs(), h.endMs(), h.page());
    }

    private static String segment(String modality, int segment, Long startMs, Long endMs, Integer page) {
        if ("VIDEO".equals(modality) && startMs != null) {
            return time(startMs) + "-" + time(endMs);
        }
        if (page != null) {
            return "p." + page;
        }
        return "chunk " + (segment + 1);
    }

    static String time(long ms) {
        long s = ms / 1000;
        return String.format(Locale.ROOT, "%d:%02d.%d", s / 60, s % 60, (ms % 1000) / 100);
    }

    private static String name(Map<String, String> attributes) {
        if (attributes == null) {
            return "";
        }
        for (String key : List.of("title", "filename", "name")) {
            if (attributes.containsKey(key)) {
                return attributes.get(key);
            }
        }
        return "";
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(width - s.length());
        return right ? fill + s : s + fill;
    }
}
