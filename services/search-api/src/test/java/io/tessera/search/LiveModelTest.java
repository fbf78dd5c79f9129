package io.tessera.search;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The alias cache's bound, on which the indexers' roll-out drain relies (see {@link LiveModel}). */
class LiveModelTest {

    @Test
    void aliasCacheLongerThanTheRolloutsReaderLimitIsRefused() {
        assertThatThrownBy(() -> new LiveModel(null, "tessera_tiny", null, null,
                LiveModel.MAX_ALIAS_TTL.plusMillis(1), Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tessera.search.alias-ttl");
        assertThatThrownBy(() -> new LiveModel(null, "tessera_tiny", null, null, Duration.ofSeconds(-1),
                Duration.ofSeconds(10))).hasMessageContaining("tessera.search.alias-ttl");
    }
}
