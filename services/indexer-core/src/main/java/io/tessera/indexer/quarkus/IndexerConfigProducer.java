package io.tessera.indexer.quarkus;

import io.smallrye.config.SmallRyeConfig;
import io.tessera.settings.EmbeddingSettings;
import io.tessera.settings.FetchSettings;
import io.tessera.settings.KafkaSettings;
import io.tessera.settings.LimitsSettings;
import io.tessera.settings.MilvusSettings;
import io.tessera.settings.ModelSettings;
import io.tessera.settings.ModelStoreSettings;
import io.tessera.settings.ModelsDirSettings;
import io.tessera.settings.RegistrySettings;
import io.tessera.settings.TopicSettings;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;

/** The indexer's configuration as one value, assembled from the mappings Quarkus registered at build time. */
@Singleton
public class IndexerConfigProducer {

    /**
     * Built by {@link IndexerConfig#from}, the one construction path (the tests and the Helm contract use it too). The
     * parameters are there only because Quarkus registers, and checks at build time, a mapping it sees injected; a
     * mapping that is only looked up is unknown to it.
     */
    @Produces
    @Singleton
    IndexerConfig indexerConfig(TopicSettings topics, KafkaSettings kafka, RegistrySettings registry,
                                MilvusSettings milvus, ModelSettings model, ModelsDirSettings models,
                                ModelStoreSettings modelStore, EmbeddingSettings embedding,
                                IndexerConfig.Pipeline pipeline, LimitsSettings limits, FetchSettings fetch,
                                IndexerConfig.Video video, IndexerConfig.Document document, IndexerConfig.Text text,
                                IndexerConfig.Rollout rollout) {
        return IndexerConfig.from(ConfigProvider.getConfig().unwrap(SmallRyeConfig.class));
    }
}
