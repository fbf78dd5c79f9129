package io.tessera.cli;

import io.tessera.bench.index.IndexBenchOptions;
import io.tessera.cli.services.Gpu;
import io.tessera.cli.services.ServiceBuilder;
import io.tessera.cli.services.ServiceCatalog;
import io.tessera.cli.services.ServiceDefinition;
import io.tessera.cli.services.ServiceRunner;
import io.tessera.embedding.model.DefaultModels;
import io.tessera.embedding.model.LocalModelStore;
import io.tessera.embedding.model.ModelRef;
import io.tessera.stack.LocalStackManager;
import io.tessera.stack.PartStatus;
import io.tessera.stack.StackConfig;
import io.tessera.stack.StackStatus;
import io.tessera.vectorstore.CollectionNaming;
import io.tessera.vectorstore.ModelCollection;
import io.tessera.vectorstore.VectorStore;
import io.tessera.vectorstore.VectorStoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * What {@code ./tessera bench index} runs around the benchmark's JVM: the real services for its e2e phase. It starts
 * media-catalog and the indexers of the measured modalities as background processes, exactly as
 * {@code ./tessera services up} does (same jars, same JVM options, same environment), but in a namespace of their own
 * (topic prefix {@code bench-<id>.}, collection prefix {@code bench_<id>_}, state under {@code .tessera/bench/<id>})
 * and on ports 10000 above the usual ones, so that they neither see nor disturb services or data that are already
 * there; it passes the benchmark the namespace and the pids of the stack and of these services (for the CPU table),
 * and afterwards stops them and deletes the run's topics, collections and state (also on Ctrl-C).
 */
final class IndexBenchServices {

    /** The run's services listen this far above the ports of {@code ./tessera services up}. */
    static final int PORT_OFFSET = 10_000;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(240);
    /** The run's roll-out drain: above search-api's longest alias cache (10 s), as the roll-out requires. */
    private static final String DRAIN_DELAY = "15s";

    @FunctionalInterface
    interface Launcher {
        int launch(StackConfig config, List<String> extraArguments, Map<String, String> extraEnvironment)
                throws IOException, InterruptedException;
    }

    private final StackConfig config;
    private final List<String> arguments;
    private final ServiceRunner runner;
    private final List<ServiceDefinition> started = new ArrayList<>();
    private volatile boolean cleaned;

    IndexBenchServices(StackConfig config, List<String> arguments) {
        this.config = config;
        this.arguments = List.copyOf(arguments);
        this.runner = new ServiceRunner(config);
    }

    /**
     * The value of {@code --name VALUE} among the benchmark's arguments, or {@code fallback}; the arguments are parsed
     * as the benchmark parses them ({@link IndexBenchOptions}), and {@link #run} has checked them.
     */
    String argument(String name, String fallback) {
        return IndexBenchOptions.parse(arguments).getOrDefault(name, fallback);
    }

    int run(Launcher launcher) throws IOException, InterruptedException {
        try {
            IndexBenchOptions.parse(arguments);
        } catch (IllegalArgumentException e) {
            System.err.println("tessera bench index: " + e.getMessage());
            return picocli.CommandLine.ExitCode.USAGE;
        }
        double load = loadAverage();
        StackStatus stack = new LocalStackManager(config).status();
        if (!stack.allUp()) {
            System.err.println("tessera bench index: the local stack is not up: run ./tessera stack up first");
            return TesseraCommand.EXIT_NOT_RUNNING;
        }
        Set<String> modalities = new LinkedHashSet<>();
        for (String m : argument("modalities", "image").split(",")) {
            modalities.add(m.trim().toLowerCase(Locale.ROOT));
        }
        String threads = argument("threads", Integer.toString(Runtime.getRuntime().availableProcessors()));
        LocalModelStore store = new LocalModelStore(runner.modelStore());
        String spec = argument("model", DefaultModels.DEFAULT.name());
        ModelRef model = DefaultModels.resolve(store, spec);

        List<ServiceDefinition> services = new ArrayList<>();
        services.add(ServiceCatalog.byName("media-catalog"));
        for (String m : modalities) {
            services.add(ServiceCatalog.byName(m + "-indexer"));
        }
        for (ServiceDefinition s : services) {
            if (!ServiceCatalog.isAvailable(config.repoRoot(), s)) {
                System.err.println("tessera bench index: " + s.name() + " is not available in this checkout");
                return BenchCommand.EXIT_NOT_AVAILABLE;
            }
        }
        ServiceBuilder builder = new ServiceBuilder(config, Gpu.detect().flavour());
        builder.build(builder.needingBuild(services), System.err, false);

        String id = "bench-" + Long.toString(System.currentTimeMillis(), 36);
        String topicPrefix = id + ".";
        String collectionPrefix = id.replace('-', '_') + "_";
        Path runDir = config.home().resolve("bench").resolve(id);
        Map<String, String> env = new LinkedHashMap<>(
                io.tessera.demo.run.Namespace.modelEnvironment(model.name(), model.version()));
        env.put("TESSERA_TOPICS_PREFIX", topicPrefix);
        env.put("TESSERA_MILVUS_COLLECTION_PREFIX", collectionPrefix);
        env.put("TESSERA_STATE_DIR", runDir.resolve("state").toString());
        // The services get the same thread budget as the plain loop and raw inference (their intra-op threads) and
        // split it themselves (decode pool, batch workers, intra-op threads: ThreadBudget). Explicit
        // TESSERA_PIPELINE_DECODE_THREADS, TESSERA_EMBEDDING_BATCH_WORKERS / _INTRA_OP_THREADS / _INTRA_OP_SPINNING in
        // this shell's environment still reach the services and override the split.
        env.put("TESSERA_PIPELINE_THREAD_BUDGET", threads);
        // The roll-out phase (RolloutCost) promotes a new version: the alias flips once the measured modalities'
        // indexers (the only ones running) have backfilled; a short drain and grace keep the run short.
        env.put("TESSERA_ROLLOUT_MODALITIES", String.join(",", modalities).toUpperCase(Locale.ROOT));
        env.put("TESSERA_ROLLOUT_DRAIN_DELAY", DRAIN_DELAY);
        env.put("TESSERA_ROLLOUT_GRACE_PERIOD", "30s");
        List<ServiceDefinition> ours = services.stream().map(s -> new ServiceDefinition("bench-" + s.name(), s.module(),
                s.mainJar(), s.port() + PORT_OFFSET, s.environment(), s.jvmOptions())).toList();

        Thread hook = Thread.ofPlatform().unstarted(() -> cleanUp(topicPrefix, collectionPrefix, model, runDir));
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            System.err.printf("bench index: starting media-catalog and the %s indexer(s) for run %s (model %s)%n",
                    String.join(", ", modalities), id, model);
            ServicesCommand.startAll(runner, ours, env, READY_TIMEOUT, System.err, s -> {
                synchronized (started) {
                    started.add(s);
                }
            });
            Map<String, Long> pids = new LinkedHashMap<>();
            for (PartStatus part : stack.parts()) {
                part.pid().ifPresent(pid -> pids.put(part.part().id(), pid));
            }
            for (ServiceDefinition s : ours) {
                OptionalLong pid = runner.pid(s);
                pid.ifPresent(p -> pids.put(s.name().substring("bench-".length()), p));
            }
            List<String> extra = new ArrayList<>(List.of("--topic-prefix", topicPrefix, "--collection-prefix",
                    collectionPrefix, "--model", model.name() + ":" + model.version(), "--load",
                    String.format(Locale.ROOT, "%.2f", load), "--kafka", config.kafkaBootstrap(), "--registry",
                    config.registryUrl(), "--milvus", config.milvusUri()));
            List<String> metrics = new ArrayList<>();
            for (ServiceDefinition s : ours) {
                if (s.name().endsWith("-indexer")) {
                    String modality = s.name().substring("bench-".length(), s.name().length() - "-indexer".length());
                    metrics.add(modality + "=http://" + config.host() + ":" + s.port() + "/q/metrics");
                }
            }
            extra.addAll(List.of("--metrics", String.join(",", metrics), "--drain-delay", DRAIN_DELAY));
            if (!pids.isEmpty()) {
                extra.add("--pids");
                extra.add(String.join(",", pids.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
            }
            // --model was resolved here to one NAME:VERSION for the services and the benchmark (given last, it wins).
            return launcher.launch(config, extra, Map.of("TESSERA_MODELS_DIR", runner.modelStore().toString()));
        } finally {
            cleanUp(topicPrefix, collectionPrefix, model, runDir);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) anyway
            }
        }
    }

    /** Stops the run's services, deletes its topics, collections and state; once. */
    private synchronized void cleanUp(String topicPrefix, String collectionPrefix, ModelRef model, Path runDir) {
        if (cleaned) {
            return;
        }
        cleaned = true;
        List<ServiceDefinition> stop;
        synchronized (started) {
            stop = new ArrayList<>(started);
        }
        for (ServiceDefinition s : stop.reversed()) {
            try {
                runner.down(s);
            } catch (RuntimeException e) {
                System.err.println("bench index: could not stop " + s.name() + ": " + e.getMessage());
            }
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000))) {
            List<String> ours = admin.listTopics().names().get(10, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(topicPrefix)).toList();
            if (!ours.isEmpty()) {
                admin.deleteTopics(ours).all().get(20, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            System.err.println("bench index: could not delete the run's topics (" + topicPrefix + "*): " + e);
        }
        try (VectorStore store = VectorStore.connect(VectorStoreConfig.defaults(config.milvusUri())
                .withNaming(new CollectionNaming(collectionPrefix)))) {
            store.dropAlias(store.naming().alias(model.name()));
            for (ModelCollection c : store.listCollections(model.name())) {
                store.dropCollection(c.collection());
            }
        } catch (RuntimeException e) {
            System.err.println("bench index: could not drop the run's collections (" + collectionPrefix + "*): "
                    + e.getMessage());
        }
        if (Files.isDirectory(runDir)) {
            try (Stream<Path> files = Files.walk(runDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                System.err.println("bench index: could not delete " + runDir + ": " + e.getMessage());
            }
        }
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
