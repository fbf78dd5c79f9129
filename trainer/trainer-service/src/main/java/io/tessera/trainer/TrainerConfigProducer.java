package io.tessera.trainer;

import io.smallrye.config.SmallRyeConfig;
import io.tessera.settings.FetchSettings;
import io.tessera.settings.LimitsSettings;
import io.tessera.settings.ModelSettings;
import io.tessera.settings.ModelStoreSettings;
import io.tessera.settings.ModelsDirSettings;
import io.tessera.settings.RegistrySettings;
import io.tessera.settings.TesseraNamespace;
import io.tessera.settings.TopicSettings;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;

/** The trainer's configuration as one value. */
@Singleton
public class TrainerConfigProducer {

    /** Each mapping injected (not looked up) so that Quarkus registers it, and checks it, at build time. */
    @Produces
    @Singleton
    TrainerConfig trainerConfig(TopicSettings topics, ModelSettings model, ModelsDirSettings models,
                                ModelStoreSettings modelStore, FetchSettings fetch, LimitsSettings limits,
                                RegistrySettings registry, TrainerConfig.Trainer trainer) {
        TesseraNamespace.requireKnownRoots(ConfigProvider.getConfig().unwrap(SmallRyeConfig.class));
        return new TrainerConfig(topics, model, models, modelStore, fetch, limits, registry, trainer);
    }
}
