package io.tessera.search.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ThumbnailPickTest {

    private static final List<Thumbnails.Frame> FRAMES = List.of(
            new Thumbnails.Frame(0, 0, 1000, new byte[] {0}), new Thumbnails.Frame(1, 1000, 2000, new byte[] {1}),
            new Thumbnails.Frame(2, 2000, 3000, new byte[] {2}));

    @Test
    void aVideoShowsTheFrameCoveringTheHitsTimeOrTheNearest() {
        assertThat(Thumbnails.pick(FRAMES, "VIDEO", 1500L, null).index()).isEqualTo(1);
        assertThat(Thumbnails.pick(FRAMES, "VIDEO", 99_000L, null).index()).isEqualTo(2);
        assertThat(Thumbnails.pick(FRAMES, "VIDEO", null, null).index()).isZero();
    }

    @Test
    void aDocumentShowsTheAskedPageClampedToItsPages() {
        assertThat(Thumbnails.pick(FRAMES, "DOCUMENT", null, 2).index()).isEqualTo(1);
        assertThat(Thumbnails.pick(FRAMES, "DOCUMENT", null, 9).index()).isEqualTo(2);
        assertThat(Thumbnails.pick(FRAMES, "DOCUMENT", null, 0).index()).isZero();
    }
}
