package io.tessera.search.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.client.api.SearchResult;
import io.tessera.vectorstore.SearchHit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HitGroupingTest {

    private static SearchHit row(String id, String modality, int segment, float score) {
        Long start = modality.equals("VIDEO") && segment >= 0 ? segment * 1000L : null;
        Long end = start == null ? null : start + 1000L;
        return new SearchHit(id + "#" + segment, id, "t", modality, segment, start, end, 0L, score, Map.of("k", id));
    }

    @Test
    void aVideoAppearsOnceWithItsBestMomentsBestFirst() {
        List<SearchHit> rows = List.of(
                row("v", "VIDEO", 3, 0.9f), row("img", "IMAGE", -1, 0.85f), row("v", "VIDEO", 4, 0.8f),
                row("v", "VIDEO", -1, 0.7f), row("v", "VIDEO", 0, 0.6f), row("v", "VIDEO", 1, 0.5f));
        List<SearchResult> items = HitGrouping.group(rows, 10, 3, null);
        assertThat(items).extracting(SearchResult::mediaId).containsExactly("v", "img");
        SearchResult video = items.getFirst();
        assertThat(video.score()).isEqualTo(0.9f);
        assertThat(video.segment()).isEqualTo(3);
        assertThat(video.startMs()).isEqualTo(3000L);
        assertThat(video.moments()).extracting(m -> m.segment()).containsExactly(3, 4, 0);
        assertThat(video.moments().getFirst().endMs()).isEqualTo(4000L);
        assertThat(video.pages()).isNull();
        assertThat(items.get(1).moments()).isNull();
        assertThat(items.get(1).attributes()).containsEntry("k", "img");
    }

    @Test
    void aDocumentListsItsBestPagesWithOneBasedPageNumbers() {
        List<SearchHit> rows = List.of(row("d", "DOCUMENT", -1, 0.9f), row("d", "DOCUMENT", 1, 0.8f),
                row("d", "DOCUMENT", 0, 0.4f));
        SearchResult doc = HitGrouping.group(rows, 5, 3, null).getFirst();
        assertThat(doc.segment()).isEqualTo(-1);
        assertThat(doc.page()).isNull();
        assertThat(doc.pages()).extracting(p -> p.page()).containsExactly(2, 1);
        assertThat(doc.moments()).isNull();
    }

    @Test
    void longTextsListChunksAndImagesListNothing() {
        List<SearchHit> rows = List.of(row("t", "TEXT", 2, 0.9f), row("t", "TEXT", -1, 0.5f));
        assertThat(HitGrouping.group(rows, 5, 3, null).getFirst().chunks()).extracting(c -> c.segment())
                .containsExactly(2);
    }

    @Test
    void topKCountsItemsNotRowsAndUnorderedInputIsRanked() {
        List<SearchHit> rows = List.of(row("c", "IMAGE", -1, 0.1f), row("a", "VIDEO", 0, 0.9f),
                row("a", "VIDEO", 1, 0.8f), row("b", "IMAGE", -1, 0.7f), row("a", "VIDEO", -1, 0.2f));
        assertThat(HitGrouping.group(rows, 2, 3, null)).extracting(SearchResult::mediaId).containsExactly("a", "b");
        assertThat(HitGrouping.group(rows, 2, 0, null).getFirst().moments()).isNull();
        assertThat(HitGrouping.distinctItems(rows, null)).isEqualTo(3);
        assertThat(HitGrouping.distinctItems(rows, "a")).isEqualTo(2);
    }

    @Test
    void theQueryItemIsLeftOut() {
        List<SearchHit> rows = List.of(row("q", "IMAGE", -1, 1.0f), row("b", "IMAGE", -1, 0.7f));
        assertThat(HitGrouping.group(rows, 5, 3, "q")).extracting(SearchResult::mediaId).containsExactly("b");
        assertThat(HitGrouping.raw(rows, 5, "q")).extracting(SearchResult::mediaId).containsExactly("b");
    }

    @Test
    void rawRowsStayRowsAndAreCutAtTopK() {
        List<SearchHit> rows = List.of(row("v", "VIDEO", 3, 0.9f), row("v", "VIDEO", 4, 0.8f),
                row("d", "DOCUMENT", 1, 0.7f));
        List<SearchResult> raw = HitGrouping.raw(rows, 3, null);
        assertThat(raw).extracting(SearchResult::segment).containsExactly(3, 4, 1);
        assertThat(raw.get(2).page()).isEqualTo(2);
        assertThat(raw).allSatisfy(r -> assertThat(r.moments()).isNull());
        assertThat(HitGrouping.raw(rows, 1, null)).hasSize(1);
    }
}
