package io.tessera.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.events.Modality;
import io.tessera.rollout.internal.MarkerCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MarkerCodecTest {

    @Test
    void markerSurvivesTheRoundTripAndIsKeyedPerVersionAndModality() {
        RolloutMarker m = new RolloutMarker("tessera-tiny", 2, Modality.VIDEO, Instant.parse("2026-01-01T00:00:00Z"),
                "video-indexer@1", 10, 4);
        assertThat(MarkerCodec.decode(MarkerCodec.encode(m))).isEqualTo(m);
        assertThat(m.key()).isEqualTo("tessera-tiny@2#VIDEO");
    }

    @Test
    void valueThatIsNotAMarkerIsRefusedWithTheReason() {
        assertThatThrownBy(() -> MarkerCodec.decode("{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version");
        assertThatThrownBy(() -> MarkerCodec.decode("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not JSON");
    }
}
