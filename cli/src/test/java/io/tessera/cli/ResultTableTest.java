package io.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.client.api.ModelInfo;
import io.tessera.client.api.SearchResponse;
import io.tessera.client.api.SearchResult;
import io.tessera.client.api.SegmentMatch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultTableTest {

    @Test
    void printsOneRowPerHitWithMomentsAndPages() {
        SearchResponse r = new SearchResponse(new ModelInfo("tessera-tiny", 2), "tessera_tiny_v2", "acme", "text", true,
                List.of(new SearchResult("vid-1", "VIDEO", 3, 3000L, 4000L, null, 0.91234f, Map.of("filename", "a.mp4"),
                                List.of(new SegmentMatch(3, 3000L, 4000L, null, 0.9f),
                                        new SegmentMatch(0, 0L, 1000L, null, 0.5f)), null, null),
                        new SearchResult("doc-1", "DOCUMENT", 1, null, null, 2, 0.5f, Map.of("title", "Report"), null,
                                List.of(new SegmentMatch(1, null, null, 2, 0.5f)), null),
                        new SearchResult("img-1", "IMAGE", -1, null, null, null, 0.25f, Map.of(), null, null, null)),
                12);
        String table = ResultTable.format(r);
        assertThat(table).startsWith("model tessera-tiny v2 · collection tessera_tiny_v2 · tenant acme · 12 ms\n");
        List<String> lines = table.lines().toList();
        assertThat(lines.get(1)).matches("#\\s+SCORE\\s+MODALITY\\s+MEDIA ID\\s+WHERE\\s+NAME");
        assertThat(lines.get(2)).contains("0.912", "VIDEO", "vid-1", "0:03.0-0:04.0, 0:00.0-0:01.0", "a.mp4");
        assertThat(lines.get(3)).contains("DOCUMENT", "p.2", "Report");
        assertThat(lines.get(4)).contains("IMAGE", "img-1").endsWith("img-1");
        assertThat(lines).hasSize(5);
    }

    @Test
    void ranksContinueFromThePagesOffset() {
        SearchResponse page = new SearchResponse(new ModelInfo("m", 1), "c", "acme", "text", true,
                List.of(new SearchResult("img-11", "IMAGE", -1, null, null, null, 0.2f, Map.of(), null, null, null)),
                3, null, 10, null);
        assertThat(ResultTable.format(page).lines().toList().get(2)).startsWith("11  ");
    }

    @Test
    void saysWhenNothingIsIndexedOrFound() {
        assertThat(ResultTable.format(new SearchResponse(null, null, "acme", "text", true, List.of(), 1)))
                .isEqualTo("nothing indexed yet for tenant acme\n");
        assertThat(ResultTable.format(new SearchResponse(new ModelInfo("m", 1), "c", "acme", "text", true, List.of(), 1)))
                .endsWith("no results\n");
    }
}
