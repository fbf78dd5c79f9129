package io.tessera.cli;

import io.tessera.demo.dataset.DatasetSpec;
import io.tessera.demo.run.Demo;
import io.tessera.demo.run.DemoFailedException;
import io.tessera.demo.run.DemoOptions;
import io.tessera.embedding.model.DefaultModels;
import io.tessera.embedding.model.LocalModelStore;
import io.tessera.embedding.model.ModelRef;
import io.tessera.stack.StackConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", description = {"The main job end to end: starts the local stack and every service, publishes a"
        + " generated media set through Kafka and indexes it, evaluates retrieval, runs one training round, re-indexes"
        + " with the promoted version, prints recall before and after, and keeps the search page up until Ctrl-C.",
        "Everything it started is stopped at the end. Each run uses topics, collections and a model store of its own."})
final class DemoCommand implements Callable<Integer> {

    /** Exit code of a demo that could not finish a step (the message names the step). */
    static final int EXIT_DEMO_FAILED = 5;

    @Mixin StackOptions options;

    @Option(names = "--size", defaultValue = "" + DemoOptions.DEFAULT_SIZE, paramLabel = "N",
            description = "Dataset size: number of images, " + DatasetSpec.MIN_SIZE + " to " + DatasetSpec.MAX_SIZE
                    + "; videos, documents and texts scale with it (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", defaultValue = "" + DemoOptions.DEFAULT_SEED, description = "Dataset seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-serve", description = "Exit after the table instead of keeping the search page up.")
    boolean noServe;

    @Option(names = "--tenant", defaultValue = DemoOptions.DEFAULT_TENANT, description = "Tenant of the media (default ${DEFAULT-VALUE}).")
    String tenant;

    @Option(names = "--dataset", paramLabel = "DIR",
            description = "Where the dataset is generated (reused when it holds the same seed and size; default <runtime dir>/demo/dataset-s<seed>-n<size>).")
    Path datasetDir;

    @Option(names = "--inline-max-bytes", defaultValue = "" + DemoOptions.DEFAULT_INLINE_MAX_BYTES, paramLabel = "BYTES",
            description = "Media up to this size is published inline, larger as a file: reference (default ${DEFAULT-VALUE}).")
    long inlineMaxBytes;

    @Option(names = "--stall-timeout", defaultValue = "180", paramLabel = "SECONDS",
            description = "Fail when indexing makes no progress for this long (default ${DEFAULT-VALUE}).")
    long stallSeconds;

    @Option(names = "--train-timeout", defaultValue = "480", paramLabel = "SECONDS",
            description = "Fail when no version is promoted this long after the pairs are published (default ${DEFAULT-VALUE}).")
    long trainSeconds;

    @Option(names = "--model", paramLabel = "NAME[:VERSION]", defaultValue = DemoOptions.DEFAULT_MODEL,
            description = "The model the run indexes with and trains (default ${DEFAULT-VALUE}; an imported one: see"
                    + " ./tessera model list).")
    String model;

    @Option(names = "--models-dir", paramLabel = "DIR", description = "Where a model that is not bundled is taken"
            + " from (default: the model store the services use, TESSERA_MODELS_DIR or .tessera/models).")
    Path modelsDir;

    @Option(names = "--keep", description = "Keep the run's topics, Milvus collections and model store afterwards (deleted by default).")
    boolean keep;

    @Override
    public Integer call() throws InterruptedException {
        if (size < DatasetSpec.MIN_SIZE || size > DatasetSpec.MAX_SIZE) {
            throw new IllegalArgumentException("--size must be " + DatasetSpec.MIN_SIZE + " to " + DatasetSpec.MAX_SIZE
                    + ", got " + size);
        }
        StackConfig config = options.config();
        Path demoDir = config.home().resolve("demo");
        Path dataset = datasetDir != null ? datasetDir : demoDir.resolve("dataset-s" + seed + "-n" + size);
        boolean terminal = ConsoleProgress.stdoutIsTerminal();
        Path store = modelsDir != null ? modelsDir : DefaultModels.defaultStoreRoot();
        ModelRef ref = ModelCommand.resolve(new LocalModelStore(store), model);
        DemoOptions demoOptions = new DemoOptions(seed, size, tenant, !noServe, dataset, demoDir.resolve("runs"),
                inlineMaxBytes, Duration.ofSeconds(stallSeconds), Duration.ofSeconds(trainSeconds), terminal, keep,
                ref.name(), ref.version());
        CliDemoPlatform platform = new CliDemoPlatform(config, System.out, terminal, store);
        try {
            new Demo(demoOptions, platform, System.out).run();
            return 0;
        } catch (DemoFailedException e) {
            System.out.flush();
            System.err.println("tessera demo: failed at step '" + e.step() + "': " + e.getMessage());
            return EXIT_DEMO_FAILED;
        }
    }
}
