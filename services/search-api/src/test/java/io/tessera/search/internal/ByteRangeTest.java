package io.tessera.search.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void playersRangesAreServed() {
        assertThat(ByteRange.parse("bytes=0-", 1000)).contains(new ByteRange(0, 999));
        assertThat(ByteRange.parse("bytes=100-199", 1000)).contains(new ByteRange(100, 199));
        assertThat(ByteRange.parse("bytes=900-5000", 1000)).as("clipped to the end").contains(new ByteRange(900, 999));
        assertThat(ByteRange.parse("bytes=-100", 1000)).contains(new ByteRange(900, 999));
        assertThat(ByteRange.parse("bytes=-5000", 1000)).contains(new ByteRange(0, 999));
        assertThat(ByteRange.parse("BYTES = 5 - 9", 1000)).contains(new ByteRange(5, 9));
        assertThat(ByteRange.parse("bytes=5-9", 1000).orElseThrow().length()).isEqualTo(5);
    }

    @Test
    void noHeaderAnotherUnitOrSeveralRangesMeanTheWholeContent() {
        assertThat(ByteRange.parse(null, 1000)).isEmpty();
        assertThat(ByteRange.parse(" ", 1000)).isEmpty();
        assertThat(ByteRange.parse("items=0-5", 1000)).isEmpty();
        assertThat(ByteRange.parse("bytes=0-5,10-20", 1000)).isEmpty();
    }

    @Test
    void rangesOutsideTheContentOrMalformedAreUnsatisfiable() {
        for (String bad : new String[] {"bytes=1000-", "bytes=5000-6000", "bytes=9-5", "bytes=-", "bytes=-0", "bytes=a-b",
                "bytes=99999999999999999999-"}) {
            assertThatThrownBy(() -> ByteRange.parse(bad, 1000)).as(bad).isInstanceOf(ByteRange.Unsatisfiable.class);
        }
        assertThatThrownBy(() -> ByteRange.parse("bytes=0-", 0)).isInstanceOf(ByteRange.Unsatisfiable.class);
    }

    @Test
    void contentLinksHoldOnlyForTheirItemTenantAndTime() {
        Clock at = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
        ContentLinks links = new ContentLinks(Optional.of("a secret of sixteen+"), Duration.ofMinutes(15), at);
        ContentLinks.Link link = links.sign("acme", "vid-1");
        assertThat(link.expires()).isEqualTo(Instant.parse("2026-12-01T10:15:00Z").getEpochSecond());
        assertThat(links.valid("acme", "vid-1", link.expires(), link.signature())).isTrue();
        assertThat(links.valid("globex", "vid-1", link.expires(), link.signature())).isFalse();
        assertThat(links.valid("acme", "vid-2", link.expires(), link.signature())).isFalse();
        assertThat(links.valid("acme", "vid-1", link.expires() + 3600, link.signature())).as("a longer life").isFalse();
        assertThat(links.valid("acme", "vid-1", link.expires(), null)).isFalse();
        ContentLinks later = new ContentLinks(Optional.of("a secret of sixteen+"), Duration.ofMinutes(15),
                Clock.offset(at, Duration.ofMinutes(16)));
        assertThat(later.valid("acme", "vid-1", link.expires(), link.signature())).as("expired").isFalse();
        ContentLinks otherSecret = new ContentLinks(Optional.empty(), Duration.ofMinutes(15), at);
        assertThat(otherSecret.valid("acme", "vid-1", link.expires(), link.signature())).isFalse();
        assertThatThrownBy(() -> new ContentLinks(Optional.of("short"), Duration.ofMinutes(1), at))
                .hasMessageContaining("tessera.search.content.link-secret");
    }
}
