package io.tessera.indexer.quarkus;

import io.smallrye.config.SmallRyeConfig;
import io.tessera.events.Modality;
import io.tessera.settings.EmbeddingSettings;
import io.tessera.settings.FetchSettings;
import io.tessera.settings.KafkaSettings;
import io.tessera.settings.LimitsSettings;
import io.tessera.settings.MilvusSettings;
import io.tessera.settings.ModelSettings;
import io.tessera.settings.ModelStoreSettings;
import io.tessera.settings.ModelsDirSettings;
import io.tessera.settings.RegistrySettings;
import io.tessera.settings.TesseraNamespace;
import io.tessera.settings.TopicSettings;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;

/** The indexer's configuration as one value, assembled from the mappings Quarkus registered at build time. */
@Singleton
public class IndexerConfigProducer {

    /** Each mapping injected (not looked up) so that Quarkus registers it, and checks it, at build time. */
    @Produces
    @Singleton
    IndexerConfig indexerConfig(TopicSettings topics, KafkaSettings kafka, RegistrySettings registry,
                                MilvusSettings milvus, ModelSettings model, ModelsDirSettings models,
                                ModelStoreSettings modelStore, EmbeddingSettings embedding,
                                IndexerConfig.Pipeline pipeline, LimitsSettings limits, FetchSettings fetch,
                                IndexerConfig.Video video, IndexerConfig.Document document, IndexerConfig.Text text,
                                IndexerConfig.Rollout rollout) {
        SmallRyeConfig config = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class);
        TesseraNamespace.requireKnownRoots(config);
        return new IndexerConfig(config.getOptionalValue("tessera.modality", Modality.class).orElse(Modality.UNKNOWN),
                config.getOptionalValue("tessera.service", String.class), topics, kafka, registry, milvus, model,
                models, modelStore, embedding, pipeline, limits, fetch, video, document, text, rollout);
    }
}
