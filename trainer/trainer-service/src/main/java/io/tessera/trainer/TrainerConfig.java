package io.tessera.trainer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.WithDefault;
import io.tessera.settings.FetchSettings;
import io.tessera.settings.LimitsSettings;
import io.tessera.settings.ModelSettings;
import io.tessera.settings.ModelStoreSettings;
import io.tessera.settings.ModelsDirSettings;
import io.tessera.settings.RegistrySettings;
import io.tessera.settings.TesseraNamespace;
import io.tessera.settings.TopicSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The trainer's configuration: the shared concerns it reads (topics; model: the model it improves and the version
 * trained from while models.published has none PROMOTED; models: the local store; model-store: where versions are
 * published; fetch and limits.max-bytes: the media of pairs; registry) and its own {@code tessera.trainer.*}.
 * Validated at start by {@link TrainerSettings#from}; an unknown key is an error.
 */
public record TrainerConfig(TopicSettings topics, ModelSettings model, ModelsDirSettings models,
                            ModelStoreSettings modelStore, FetchSettings fetch, LimitsSettings limits,
                            RegistrySettings registry, Trainer trainer) {

    /** Every mapping the trainer reads (registered by Quarkus from the index; listed for tests and the Helm contract). */
    public static final List<Class<?>> MAPPINGS = List.of(TopicSettings.class, ModelSettings.class,
            ModelsDirSettings.class, ModelStoreSettings.class, FetchSettings.class, LimitsSettings.class,
            RegistrySettings.class, Trainer.class);

    public static TrainerConfig from(SmallRyeConfig c) {
        TesseraNamespace.requireKnownRoots(c);
        return new TrainerConfig(c.getConfigMapping(TopicSettings.class), c.getConfigMapping(ModelSettings.class),
                c.getConfigMapping(ModelsDirSettings.class), c.getConfigMapping(ModelStoreSettings.class),
                c.getConfigMapping(FetchSettings.class), c.getConfigMapping(LimitsSettings.class),
                c.getConfigMapping(RegistrySettings.class), c.getConfigMapping(Trainer.class));
    }

    @ConfigMapping(prefix = "tessera.trainer")
    public interface Trainer {
        /** Where pairs, the feature cache and the round ledger live. */
        @WithDefault(".tessera/trainer")
        Path dataDir();

        /** Share of pairs (by a hash of the pairId) held out for validation. */
        @WithDefault("0.2")
        double validationFraction();

        /** The model task whose instruction template precedes query-side text (what search-api uses). */
        @WithDefault("search")
        String queryTextTask();

        /** The consumer group of pairs.curated (read by the SmallRye channel's configuration). */
        @WithDefault("tessera-trainer")
        String groupId();

        /** The name written into DLQ provenance headers. */
        @WithDefault("trainer")
        String serviceName();

        Round round();

        Gate gate();

        Soup soup();

        Recipe recipe();

        Media media();
    }

    public interface Round {
        /** Start a round after this many new or changed pairs; 0 = off. */
        @WithDefault("200")
        int afterNewPairs();

        /** Start a round this long after the last one when new pairs arrived; 0 = off. */
        @WithDefault("30m")
        Duration interval();

        /** Never start a round with fewer pairs buffered. */
        @WithDefault("20")
        int minPairs();

        /** Never start a round whose validation side has fewer pairs (it could not gate). */
        @WithDefault("4")
        int minValidationPairs();

        /** How often the trigger is checked. */
        @WithDefault("5s")
        Duration checkEvery();

        /** Seed of the rounds' ingredient runs (round of version v uses seed + 1000·v). */
        @WithDefault("7")
        long seed();
    }

    public interface Gate {
        /** The validation improvement (mean recall@1, as a fraction) a candidate needs to be promoted. */
        @WithDefault("0.01")
        double margin();
    }

    public interface Soup {
        /** K: ingredient runs per round. */
        @WithDefault("4")
        int ingredients();

        /** best (the better of uniform and greedy on validation), uniform or greedy. */
        @WithDefault("best")
        String method();

        /**
         * How much validation mean recall@1 (a fraction) the soup may give up to ship a smaller part of its update
         * (0.25, 0.5 or 0.75 of it: the smallest within this), keeping more of the base model where the curated pairs
         * say nothing; 0 ships a smaller part only when it scores as well.
         */
        @WithDefault("0.02")
        double shrinkTolerance();
    }

    /** Defaults: training-math's, except epochs and δ, chosen on the demo dataset's validation split (see README). */
    public interface Recipe {
        @WithDefault("12")
        int epochs();

        @WithDefault("64")
        int batchSize();

        @WithDefault("0.01")
        double learningRate();

        @WithDefault("16")
        int loraRank();

        @WithDefault("16")
        double loraAlpha();

        @WithDefault("0.05")
        double weightDecay();

        @WithDefault("0.1")
        double warmupFraction();

        @WithDefault("true")
        boolean hardnessWeighting();

        /** β of the hardness weighting exp(β·s(q,n)). */
        @WithDefault("3")
        double beta();

        @WithDefault("true")
        boolean falseNegativeFiltering();

        /**
         * δ: a negative n with s(p,n) > δ is dropped as a likely false negative. The tiny model's embeddings start
         * very concentrated (at δ = 0.95 the filter dropped 96% of all negatives), so only near-duplicates go.
         */
        @WithDefault("0.99")
        double delta();

        @WithDefault("true")
        boolean learnableTemperature();

        @WithDefault("0.05")
        double temperatureInit();

        @WithDefault("0.01")
        double temperatureMin();

        @WithDefault("1.0")
        double temperatureMax();
    }

    public interface Media {
        /** The most frames sampled from one video (their features are averaged). */
        @WithDefault("16")
        int maxFrames();

        @WithDefault("1s")
        Duration frameInterval();

        /** The most bytes of inline content one pair may carry (larger pairs are dead-lettered). */
        @WithDefault("16777216")
        int maxPairBytes();
    }
}
