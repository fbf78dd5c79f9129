package io.tessera.trainer;

import io.tessera.embedding.model.DefaultModels;
import io.tessera.embedding.model.ModelRef;
import io.tessera.events.Topics;
import io.tessera.media.DecodeOptions;
import io.tessera.media.FetchConfig;
import io.tessera.trainer.round.Gate;
import io.tessera.trainer.round.PairSplit;
import io.tessera.trainer.round.RoundRunner;
import io.tessera.trainer.round.RoundTrigger;
import io.tessera.training.TrainingConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The trainer's settings, independent of Quarkus (tests build one in a line), checked when built: a bad value fails
 * the start with a message naming the property to fix.
 */
public record TrainerSettings(
        String modelName,
        int baseVersion,
        Path modelsDir,
        Path dataDir,
        String pairsTopic,
        String catalogTopic,
        String modelsTopic,
        PairSplit split,
        RoundTrigger trigger,
        int minValidationPairs,
        long seed,
        int ingredients,
        RoundRunner.SoupChoice soup,
        double shrinkTolerance,
        Gate gate,
        TrainingConfig recipe,
        String queryTextTask,
        FetchConfig fetch,
        int maxFrames,
        Duration frameInterval,
        int maxPairBytes,
        String serviceName) {

    public TrainerSettings {
        Objects.requireNonNull(modelName, "modelName");
        new ModelRef(modelName, Math.max(1, baseVersion)); // validates the name
        if (baseVersion < 1) {
            throw new IllegalArgumentException("tessera.model.version must be >= 1, got " + baseVersion);
        }
        if (minValidationPairs < 1) {
            throw new IllegalArgumentException("tessera.trainer.round.min-validation-pairs must be >= 1, got "
                    + minValidationPairs);
        }
        if (ingredients < 1) {
            throw new IllegalArgumentException("tessera.trainer.soup.ingredients must be >= 1, got " + ingredients);
        }
        if (!(shrinkTolerance >= 0 && shrinkTolerance <= 1)) {
            throw new IllegalArgumentException("tessera.trainer.soup.shrink-tolerance must be within [0, 1], got "
                    + shrinkTolerance);
        }
        if (maxFrames < 1) {
            throw new IllegalArgumentException("tessera.trainer.media.max-frames must be >= 1, got " + maxFrames);
        }
    }

    /** Reads and checks the Quarkus configuration. */
    public static TrainerSettings from(TrainerConfig c) {
        TrainerConfig.Trainer t = c.trainer();
        String prefix = c.topics().prefix().orElse("");
        TrainerConfig.Recipe r = t.recipe();
        TrainingConfig recipe;
        try {
            recipe = TrainingConfig.builder().epochs(r.epochs()).batchSize(r.batchSize()).learningRate(r.learningRate())
                    .loraRank(r.loraRank()).loraAlpha(r.loraAlpha()).weightDecay(r.weightDecay())
                    .warmupFraction(r.warmupFraction()).hardnessWeighting(r.hardnessWeighting()).beta(r.beta())
                    .falseNegativeFiltering(r.falseNegativeFiltering()).delta(r.delta())
                    .learnableTemperature(r.learnableTemperature()).temperatureInit(r.temperatureInit())
                    .temperatureRange(r.temperatureMin(), r.temperatureMax()).build();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("tessera.trainer.recipe.*: " + e.getMessage(), e);
        }
        RoundRunner.SoupChoice soup;
        try {
            soup = RoundRunner.SoupChoice.valueOf(t.soup().method().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tessera.trainer.soup.method must be best, uniform or greedy, got '"
                    + t.soup().method() + "'");
        }
        FetchConfig.Builder fetch = FetchConfig.builder().maxBytes(c.limits().maxBytes());
        c.fetch().fileRoots().orElse(List.of()).forEach(fetch::fileRoot);
        c.fetch().allowedHosts().orElse(List.of()).forEach(fetch::allowHost);
        return new TrainerSettings(c.model().name(), c.model().version(),
                c.models().dir().orElseGet(DefaultModels::defaultStoreRoot).toAbsolutePath().normalize(),
                t.dataDir().toAbsolutePath().normalize(),
                Topics.withPrefix(prefix, Topics.PAIRS_CURATED), Topics.withPrefix(prefix, Topics.MEDIA_CATALOG),
                Topics.withPrefix(prefix, Topics.MODELS_PUBLISHED), new PairSplit(t.validationFraction()),
                new RoundTrigger(t.round().afterNewPairs(), t.round().interval(), t.round().minPairs()),
                t.round().minValidationPairs(), t.round().seed(), t.soup().ingredients(), soup,
                t.soup().shrinkTolerance(), new Gate(t.gate().margin()), recipe, t.queryTextTask(), fetch.build(), t.media().maxFrames(),
                t.media().frameInterval(), t.media().maxPairBytes(), t.serviceName());
    }

    /**
     * Decoding options that give the trainer the pixels the indexers embed: pictures subsampled to the image tower's
     * {@code decodeShortSide} (0: no tower, no subsampling), frames decoded to the side the model's preprocessing
     * resizes to. Features computed from other pixels would train the model on vectors the collection does not hold.
     */
    public DecodeOptions decodeOptions(int imageTargetShortSide, int frameShortSide) {
        return DecodeOptions.builder().imageTargetShortSide(imageTargetShortSide).frameShortSide(frameShortSide)
                .maxFrames(maxFrames).frameInterval(frameInterval).build();
    }

    public String deadLetterTopic() {
        return Topics.deadLetterFor(pairsTopic);
    }
}
