package io.tessera.indexer.quarkus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.PropertiesConfigSource;
import io.tessera.indexer.IndexerSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration mapping and its start-up checks, without booting Quarkus. */
class IndexerSettingsFactoryTest {

    private static IndexerConfig config(Map<String, String> values) {
        Map<String, String> all = new HashMap<>(Map.of("tessera.modality", "VIDEO"));
        all.putAll(values);
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(all, "test", 500))
                // Quarkus' own Duration format ("5s", "200ms"), as in the running services.
                .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter());
        IndexerConfig.MAPPINGS.forEach(builder::withMapping);
        return IndexerConfig.from(builder.build());
    }

    @Test
    void defaultsGiveAWorkingIndexerOnTheDefaultTopics() {
        IndexerSettings settings = IndexerSettingsFactory.settings(config(Map.of()));

        assertThat(settings.service()).isEqualTo("video-indexer");
        assertThat(settings.sourceTopic()).isEqualTo("media.video");
        assertThat(settings.indexedTopic()).isEqualTo("media.indexed");
        assertThat(settings.deadLetterTopic()).isEqualTo("media.dlq");
        assertThat(settings.groupId()).isEqualTo("tessera-video-indexer");
        assertThat(settings.decodeOptions().frameInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.momentSimilarity()).isEqualTo(IndexerSettings.DEFAULT_MOMENT_SIMILARITY);
        assertThat(IndexerSettingsFactory.vectorStore(config(Map.of())).uri()).isEqualTo("http://127.0.0.1:19530");
    }

    @Test
    void momentSimilarityTakesACosineOrOff() {
        assertThat(IndexerSettingsFactory.settings(config(Map.of("tessera.video.moment-similarity", "0.9")))
                .momentSimilarity()).isEqualTo(0.9);
        assertThat(IndexerSettingsFactory.settings(config(Map.of("tessera.video.moment-similarity", "OFF")))
                .momentSimilarity()).isEqualTo(1.0);
        assertThat(IndexerSettingsFactory.settings(config(Map.of("tessera.video.moment-similarity", "1")))
                .momentSimilarity()).isEqualTo(1.0);
        for (String bad : new String[] {"0", "-0.5", "1.2", "NaN", "high"}) {
            assertThatThrownBy(() -> IndexerSettingsFactory.settings(
                    config(Map.of("tessera.video.moment-similarity", bad))))
                    .as(bad).hasMessageContaining("tessera.video.moment-similarity");
        }
    }

    @Test
    void threadsComeFromTheBudgetUnlessSetExplicitly() {
        IndexerConfig two = config(Map.of("tessera.modality", "IMAGE", "tessera.pipeline.thread-budget", "2"));
        assertThat(IndexerSettingsFactory.settings(two).decodeThreads()).isEqualTo(1);
        var runtime = IndexerSettingsFactory.runtime(two);
        assertThat(runtime.intraOpThreads()).isEqualTo(1);
        assertThat(runtime.imageBatching().workers()).isEqualTo(2);
        assertThat(runtime.intraOpSpinning()).isFalse();

        IndexerConfig explicit = config(Map.of("tessera.modality", "IMAGE", "tessera.pipeline.thread-budget", "8",
                "tessera.embedding.intra-op-threads", "4", "tessera.embedding.intra-op-spinning", "true"));
        assertThat(IndexerSettingsFactory.threadBudget(explicit).intraOpThreads()).isEqualTo(4);
        assertThat(IndexerSettingsFactory.settings(explicit).decodeThreads()).isEqualTo(2);
        assertThat(IndexerSettingsFactory.runtime(explicit).intraOpThreads()).isEqualTo(4);
        assertThat(IndexerSettingsFactory.runtime(explicit).intraOpSpinning()).isTrue();

        assertThatThrownBy(() -> IndexerSettingsFactory.settings(config(Map.of("tessera.pipeline.thread-budget", "0"))))
                .hasMessageContaining("tessera.pipeline.thread-budget");
    }

    @Test
    void prefixAndLimitsAreApplied() {
        IndexerConfig c = config(Map.of("tessera.topics.prefix", "prod-", "tessera.video.frame-interval", "500ms",
                "tessera.limits.max-frames", "12", "tessera.document.dpi", "150", "tessera.milvus.index-type", "HNSW"));
        IndexerSettings settings = IndexerSettingsFactory.settings(c);

        assertThat(settings.sourceTopic()).isEqualTo("prod-media.video");
        assertThat(settings.groupId()).isEqualTo("prod-tessera-video-indexer");
        assertThat(settings.decodeOptions().frameInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(settings.decodeOptions().maxFrames()).isEqualTo(12);
        assertThat(settings.decodeOptions().pageDpi()).isEqualTo(150);
        assertThat(IndexerSettingsFactory.vectorStore(c).indexType().name()).isEqualTo("HNSW");
    }

    @Test
    void badValuesFailTheStartNamingTheKey() {
        assertThatThrownBy(() -> IndexerSettingsFactory.settings(config(Map.of("tessera.document.page-text-weight", "2"))))
                .hasMessageContaining("tessera.");
        assertThatThrownBy(() -> IndexerSettingsFactory.fetch(config(Map.of("tessera.fetch.file-roots", "/no/such/dir"))))
                .hasMessageContaining("tessera.fetch.file-roots").hasMessageContaining("/no/such/dir");
        assertThatThrownBy(() -> IndexerSettingsFactory.fetch(config(Map.of("tessera.fetch.allowed-schemes", "ftp"))))
                .hasMessageContaining("tessera.fetch");
        assertThatThrownBy(() -> IndexerSettingsFactory.vectorStore(config(Map.of("tessera.milvus.uri", "milvus"))))
                .hasMessageContaining("tessera.milvus");
        assertThatThrownBy(() -> IndexerSettingsFactory.serde(config(Map.of("tessera.registry.url", "ftp://x"))))
                .hasMessageContaining("tessera.registry");
        assertThatThrownBy(() -> IndexerSettingsFactory.settings(config(Map.of("tessera.topics.prefix", "bad prefix"))))
                .hasMessageContaining("tessera.topics.prefix");
    }

    @Test
    void unknownKeysAreErrors() {
        // Under a root the indexer maps: SmallRye Config rejects it while building the configuration.
        assertThatThrownBy(() -> config(Map.of("tessera.milvus.urii", "http://127.0.0.1:19530")))
                .hasMessageContaining("tessera.milvus.urii");
        assertThatThrownBy(() -> config(Map.of("tessera.pipeline.thread-budgett", "2")))
                .hasMessageContaining("tessera.pipeline.thread-budgett");
        // Under no root at all.
        assertThatThrownBy(() -> config(Map.of("tessera.milvs.uri", "http://127.0.0.1:19530")))
                .hasMessageContaining("tessera.milvs.uri");
        // Another service's key is not this one's concern.
        assertThat(config(Map.of("tessera.trainer.rounds", "2")).modality().name()).isEqualTo("VIDEO");
    }

    @Test
    void enumeratedValuesAreCheckedNamingTheKey() {
        assertThatThrownBy(() -> IndexerSettingsFactory.vectorStore(config(Map.of("tessera.milvus.index-type", "HNSWW"))))
                .hasMessageContaining("tessera.milvus");
        assertThatThrownBy(() -> IndexerSettingsFactory.runtime(config(Map.of("tessera.embedding.device", "TPU"))))
                .hasMessageContaining("tessera.embedding");
    }
}
