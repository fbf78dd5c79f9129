package io.tessera.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.client.api.SearchResult;
import io.tessera.vectorstore.SearchHit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModalityFusionTest {

    /** Rows of one modality, best first. */
    private static List<SearchHit> rows(String modality, double... scores) {
        List<SearchHit> out = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            out.add(new SearchHit(modality + i, modality.toLowerCase() + "-" + i, "acme", modality, -1, null, null, 0L,
                    (float) scores[i], Map.of()));
        }
        return out;
    }

    private static List<SearchResult> results(List<SearchHit> rows) {
        return rows.stream().map(r -> new SearchResult(r.mediaId(), r.modality(), -1, null, null, null, r.score(),
                Map.of(), null, null, null)).toList();
    }

    private static float[][] fuse(ModalityFusion fusion, List<List<SearchHit>> perModality) {
        return fusion.scores(perModality, perModality.stream().map(ModalityFusionTest::results).toList());
    }

    @Test
    void anImageThatStandsOutOfItsModalityOutranksATypicalText() {
        // Text-text cosines sit near 0.6, text-image cosines near 0.2: raw cosine would rank every text first.
        List<SearchHit> texts = rows("TEXT", 0.66, 0.64, 0.62, 0.61, 0.60, 0.59, 0.58);
        List<SearchHit> images = rows("IMAGE", 0.31, 0.21, 0.20, 0.20, 0.19, 0.19, 0.18);

        float[][] z = fuse(ModalityFusion.ZSCORE, List.of(texts, images));
        assertThat(z[1][0]).isGreaterThan(z[0][0]);
        assertThat(z[1][1]).isLessThan(z[0][0]);

        float[][] raw = fuse(ModalityFusion.NONE, List.of(texts, images));
        assertThat(raw[1][0]).isLessThan(raw[0][texts.size() - 1]);
    }

    @Test
    void anExactMatchAmongTwoImagesBeatsTheBestFrameOfAnOrdinaryVideo() {
        // Too few images for a spread of their own: the shared spread still says how far the match stands out.
        List<SearchHit> images = rows("IMAGE", 0.99, 0.30);
        List<SearchHit> frames = rows("VIDEO", 0.52, 0.48, 0.45, 0.44, 0.42, 0.40, 0.39);
        float[][] z = fuse(ModalityFusion.ZSCORE, List.of(images, frames));
        assertThat(z[0][0]).isGreaterThan(z[1][0]);
    }

    @Test
    void theOrderInsideAModalityIsKeptAndALoneRowScoresZero() {
        List<SearchHit> spread = rows("DOCUMENT", 0.5, 0.4, 0.3, 0.2);
        List<SearchHit> lone = rows("TEXT", 0.8);
        float[][] z = fuse(ModalityFusion.ZSCORE, List.of(spread, lone));
        assertThat(z[0]).isSortedAccordingTo((a, b) -> Float.compare(b, a));
        assertThat(z[1]).containsExactly(0f);
        assertThat(fuse(ModalityFusion.ZSCORE, List.of(List.of()))[0]).isEmpty();
    }

    @Test
    void rrfScoresByRankOnly() {
        float[][] r = fuse(ModalityFusion.RRF, List.of(rows("TEXT", 0.9, 0.8), rows("IMAGE", 0.2, 0.1)));
        assertThat(r[0]).containsExactly(r[1]);
        assertThat(r[0][0]).isEqualTo(1f / 61);
    }

    @Test
    void namesParseAndAnUnknownOneIsRefusedWithTheChoices() {
        assertThat(ModalityFusion.parse(" ZScore ")).isEqualTo(ModalityFusion.ZSCORE);
        assertThat(ModalityFusion.parse("rrf")).isEqualTo(ModalityFusion.RRF);
        assertThat(ModalityFusion.parse("none")).isEqualTo(ModalityFusion.NONE);
        assertThatThrownBy(() -> ModalityFusion.parse("max")).hasMessageContaining("zscore, rrf or none");
    }
}
