package io.tessera.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.bench.embed.EmbedBenchmark;
import io.tessera.bench.index.IndexBenchmark;
import io.tessera.bench.search.SearchBenchmark;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class BenchmarksTest {

    @Test
    void theNamesAreTheMainClassesAndTheirClassesAreFound() {
        assertThat(Benchmarks.EMBED).isEqualTo(EmbedBenchmark.class.getName());
        assertThat(Benchmarks.INDEX).isEqualTo(IndexBenchmark.class.getName());
        assertThat(Benchmarks.SEARCH).isEqualTo(SearchBenchmark.class.getName());
        for (String main : new String[] {Benchmarks.EMBED, Benchmarks.INDEX, Benchmarks.SEARCH}) {
            assertThat(Benchmarks.classes().resolve(main.replace('.', '/') + ".class")).satisfies(
                    p -> assertThat(Files.isRegularFile(p)).as(p.toString()).isTrue());
        }
    }
}
