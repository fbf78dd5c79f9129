package io.tessera.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.client.api.SearchQuery;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueryParserTest {

    private final QueryParser parser = new QueryParser(100, 1000, () -> Set.of("default", "search"));

    private static SearchQuery q(String text, String image, String mediaId) {
        return new SearchQuery(text, image, mediaId, null, null, null, null, null, null);
    }

    private String error(SearchQuery query) {
        try {
            parser.parse(query, "acme");
        } catch (ApiException e) {
            return e.status() + " " + e.error();
        }
        return "ok";
    }

    @Test
    void oneQueryKindExactly() {
        assertThat(error(null)).isEqualTo("400 empty_query");
        assertThat(error(q(null, null, null))).isEqualTo("400 empty_query");
        assertThat(error(q(" \t", null, null))).isEqualTo("400 empty_query");
        assertThat(error(q(null, "", null))).isEqualTo("400 empty_query");
        assertThat(error(q(null, null, " "))).isEqualTo("400 empty_query");
        assertThat(error(q("red", "AAAA", null))).isEqualTo("400 ambiguous_query");
        assertThat(error(q("red", null, "m1"))).isEqualTo("400 ambiguous_query");
        assertThat(error(q(null, "AAAA", "m1"))).isEqualTo("400 ambiguous_query");
    }

    @Test
    void aTextQueryIsTrimmedAndKeepsItsTask() {
        SearchSpec spec = parser.parse(new SearchQuery("  red circle ", null, null, "ignored-here", List.of("image", "Video"),
                5, "search", null, true), "acme");
        assertThat(spec.tenant()).isEqualTo("acme");
        assertThat(spec.query()).isEqualTo(new QueryInput.Text("red circle", "search", null));
        assertThat(spec.modalities()).containsExactlyInAnyOrder("IMAGE", "VIDEO");
        assertThat(spec.topK()).isEqualTo(5);
        assertThat(spec.rawSegments()).isTrue();
        assertThat(parser.parse(q("x", null, null), "acme").topK()).isEqualTo(10);
    }

    @Test
    void topKModalitiesAndTasksAreChecked() {
        assertThat(error(new SearchQuery("x", null, null, null, null, 0, null, null, null))).isEqualTo("400 invalid_top_k");
        assertThat(error(new SearchQuery("x", null, null, null, null, 1001, null, null, null))).isEqualTo("400 invalid_top_k");
        assertThat(error(new SearchQuery("x", null, null, null, null, 1000, null, null, null))).isEqualTo("ok");
        assertThat(error(new SearchQuery("x", null, null, null, null, null, null, null, null, "best")))
                .isEqualTo("400 invalid_fusion");
        assertThat(error(new SearchQuery("x", null, null, null, null, null, null, null, null, "RRF"))).isEqualTo("ok");
        assertThat(error(new SearchQuery("x", null, null, null, List.of("AUDIO"), null, null, null, null)))
                .isEqualTo("400 invalid_modality");
        assertThat(error(new SearchQuery("x", null, null, null, null, null, "translate", null, null)))
                .isEqualTo("400 unknown_task");
        assertThat(error(new SearchQuery(null, null, "m1", null, null, null, "search", null, null)))
                .isEqualTo("400 invalid_task");
        assertThat(error(q("x".repeat(101), null, null))).isEqualTo("400 query_too_long");
    }

    @Test
    void imagesAreBase64WithinTheCap() {
        byte[] bytes = new byte[1000];
        bytes[0] = 7;
        SearchSpec spec = parser.parse(q(null, Base64.getEncoder().encodeToString(bytes), null), "acme");
        assertThat(((QueryInput.Image) spec.query()).bytes()).isEqualTo(bytes);
        SearchSpec dataUrl = parser.parse(q(null, "data:image/png;base64,"
                + Base64.getMimeEncoder().encodeToString(bytes), null), "acme");
        assertThat(((QueryInput.Image) dataUrl.query()).bytes()).isEqualTo(bytes);
        assertThat(error(q(null, Base64.getEncoder().encodeToString(new byte[1001]), null))).isEqualTo("413 image_too_large");
        assertThat(error(q(null, "not base64!", null))).isEqualTo("400 invalid_base64");
        assertThat(error(q(null, "AAAAA", null))).isEqualTo("400 invalid_base64");
        assertThat(error(q(null, "data:image/png,AAAA", null))).isEqualTo("400 invalid_base64");
    }

    @Test
    void mediaIdsAreChecked() {
        assertThat(parser.parse(q(null, null, "m-1"), "acme").query()).isEqualTo(new QueryInput.Media("m-1"));
        assertThat(error(q(null, null, "a\u0000b"))).isEqualTo("400 invalid_media_id");
        assertThat(error(q(null, null, "x".repeat(257)))).isEqualTo("400 invalid_media_id");
    }
}
