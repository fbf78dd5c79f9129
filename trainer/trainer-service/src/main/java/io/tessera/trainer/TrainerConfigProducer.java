package io.tessera.trainer;

import io.smallrye.config.SmallRyeConfig;
import io.tessera.settings.FetchSettings;
import io.tessera.settings.LimitsSettings;
import io.tessera.settings.ModelSettings;
import io.tessera.settings.ModelStoreSettings;
import io.tessera.settings.ModelsDirSettings;
import io.tessera.settings.RegistrySettings;
import io.tessera.settings.TopicSettings;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;

/** The trainer's configuration as one value. */
@Singleton
public class TrainerConfigProducer {

    /**
     * Built by {@link TrainerConfig#from}, the one construction path (the tests and the Helm contract use it too). The
     * parameters are there only because Quarkus registers, and checks at build time, a mapping it sees injected; a
     * mapping that is only looked up is unknown to it.
     */
    @Produces
    @Singleton
    TrainerConfig trainerConfig(TopicSettings topics, ModelSettings model, ModelsDirSettings models,
                                ModelStoreSettings modelStore, FetchSettings fetch, LimitsSettings limits,
                                RegistrySettings registry, TrainerConfig.Trainer trainer) {
        return TrainerConfig.from(ConfigProvider.getConfig().unwrap(SmallRyeConfig.class));
    }
}
