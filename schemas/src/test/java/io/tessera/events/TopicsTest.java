package io.tessera.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void theTopicNamesAreTheArchitecturesContract() {
        assertThat(Topics.ALL).containsExactly("media.arrived", "media.image", "media.video", "media.document",
                "media.text", "media.catalog", "media.indexed", "media.dlq", "pairs.curated", "models.published");
    }

    @Test
    void eachModalityRoutesToItsTopicAndUnknownHasNone() {
        assertThat(Topics.forModality(Modality.IMAGE)).isEqualTo(Topics.MEDIA_IMAGE);
        assertThat(Topics.forModality(Modality.VIDEO)).isEqualTo(Topics.MEDIA_VIDEO);
        assertThat(Topics.forModality(Modality.DOCUMENT)).isEqualTo(Topics.MEDIA_DOCUMENT);
        assertThat(Topics.forModality(Modality.TEXT)).isEqualTo(Topics.MEDIA_TEXT);
        assertThatThrownBy(() -> Topics.forModality(Modality.UNKNOWN)).hasMessageContaining("UNKNOWN");
    }

    @Test
    void aPrefixIsPutInFrontAndValidated() {
        assertThat(Topics.withPrefix("prod-", Topics.MEDIA_ARRIVED)).isEqualTo("prod-media.arrived");
        assertThat(Topics.withPrefix("", Topics.MEDIA_ARRIVED)).isEqualTo("media.arrived");
        assertThat(Topics.withPrefix(null, Topics.MEDIA_ARRIVED)).isEqualTo("media.arrived");
        assertThat(Topics.deadLetterFor(Topics.MEDIA_IMAGE)).isEqualTo("media.image.dlq");
        assertThatThrownBy(() -> Topics.withPrefix("bad prefix/", Topics.MEDIA_ARRIVED)).hasMessageContaining("invalid Kafka topic name");
    }
}
