package io.tessera.cli;

import io.tessera.bench.Benchmarks;
import io.tessera.cli.services.Gpu;
import io.tessera.cli.services.ServiceBuilder;
import io.tessera.cli.services.ServiceCatalog;
import io.tessera.cli.services.ServiceDefinition;
import io.tessera.stack.StackConfig;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Unmatched;

/**
 * {@code ./tessera bench embed|index|search}: runs a benchmark's main (module tessera-bench) in a JVM of its own (the
 * full JIT and a heap of its own, as in the services, not the command line's small one), passing every argument
 * through. Each benchmark prints one machine-readable line per case with its baseline measured in the same run.
 */
@Command(name = "bench", description = {"Benchmarks that print one machine-readable line per case, with the baseline"
        + " measured in the same run. Arguments after the name go to the benchmark (e.g. bench embed --seconds 1)."},
        subcommands = {BenchCommand.Embed.class, BenchCommand.Index.class, BenchCommand.Search.class})
final class BenchCommand implements Runnable {

    /** Exit code when the benchmark's module has not delivered it yet. */
    static final int EXIT_NOT_AVAILABLE = 4;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Where a benchmark's classes come from. */
    sealed interface Source permits OwnClasspath, QuarkusApp {
    }

    /** The benchmark ships with the command line itself (a library it depends on). */
    record OwnClasspath() implements Source {
    }

    /**
     * The benchmark measures a service's code: that service's Quarkus app jars (the libraries and versions it runs
     * with) are the class path, with the benchmarks' classes after them.
     */
    record QuarkusApp(ServiceDefinition service) implements Source {
    }

    abstract static class Bench implements Callable<Integer> {
        @Mixin StackOptions options;

        @Unmatched
        List<String> arguments = new ArrayList<>();

        abstract String name();

        abstract String mainClass();

        abstract Source source();

        @Override
        public Integer call() throws IOException, InterruptedException {
            return launch(options.config(), List.of(), java.util.Map.of());
        }

        /**
         * Runs the benchmark's main in a JVM of its own with the user's arguments, then {@code extraArguments}, with
         * {@code extraEnvironment}; returns its exit code.
         */
        int launch(StackConfig config, List<String> extraArguments, java.util.Map<String, String> extraEnvironment)
                throws IOException, InterruptedException {
            Optional<List<Path>> classpath = classpath(config);
            if (classpath.isEmpty() || !contains(classpath.get(), mainClass())) {
                System.err.println("tessera bench " + name() + ": not available yet (" + mainClass()
                        + " is not in this build)");
                return EXIT_NOT_AVAILABLE;
            }
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx4g");
            if (Runtime.version().feature() >= 22) {
                // ONNX Runtime, FFmpeg and the Milvus SDK load natives / use Unsafe: allowed, without warnings.
                cmd.add("--enable-native-access=ALL-UNNAMED");
            }
            if (Runtime.version().feature() >= 23) {
                cmd.add("--sun-misc-unsafe-memory-access=allow");
            }
            cmd.add("-Dai.djl.offline=true");
            cmd.add("-Dtessera.root=" + config.repoRoot());
            // jboss-logmanager-3.x.jar in Maven's naming, org.jboss.logmanager.jboss-logmanager-3.x.jar in a Quarkus app's
            // lib/boot: with it on the class path, java.util.logging must be told to use it before anything logs.
            if (classpath.get().stream().anyMatch(p -> p.getFileName().toString()
                    .matches("(org\\.jboss\\.logmanager\\.)?jboss-logmanager-[0-9].*\\.jar"))) {
                cmd.add("-Djava.util.logging.manager=org.jboss.logmanager.LogManager");
            }
            cmd.add("-cp");
            cmd.add(String.join(File.pathSeparator, classpath.get().stream().map(Path::toString).toList()));
            cmd.add(mainClass());
            cmd.addAll(arguments);
            cmd.addAll(extraArguments);
            ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
            pb.environment().putAll(extraEnvironment);
            pb.environment().put("ORT_DISABLE_TELEMETRY", "1");
            pb.environment().put("OPT_OUT_TRACKING", "true");
            pb.environment().putIfAbsent("KAFKA_BOOTSTRAP_SERVERS", config.kafkaBootstrap());
            pb.environment().putIfAbsent("TESSERA_REGISTRY_URL", config.registryUrl());
            pb.environment().putIfAbsent("TESSERA_MILVUS_URI", config.milvusUri());
            Process p = pb.start();
            try {
                return p.waitFor();
            } finally {
                p.destroy();
            }
        }

        private Optional<List<Path>> classpath(StackConfig config) throws IOException {
            return switch (source()) {
                case OwnClasspath own -> Optional.of(ownClasspath());
                case QuarkusApp app -> quarkusClasspath(config, app.service());
            };
        }

        /** The command line's jar: its manifest's Class-Path brings its libraries along. */
        private static List<Path> ownClasspath() {
            try {
                return List.of(Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }

        private Optional<List<Path>> quarkusClasspath(StackConfig config, ServiceDefinition service) throws IOException {
            if (!ServiceCatalog.isAvailable(config.repoRoot(), service)) {
                return Optional.empty();
            }
            ServiceBuilder builder = new ServiceBuilder(config, Gpu.detect().flavour());
            builder.build(builder.needingBuild(List.of(service)), System.err, ConsoleProgress.stdoutIsTerminal());
            Path app = config.repoRoot().resolve(service.module()).resolve("target/quarkus-app");
            List<Path> jars = new ArrayList<>();
            for (String dir : List.of("app", "lib/boot", "lib/main")) {
                Path d = app.resolve(dir);
                if (Files.isDirectory(d)) {
                    try (Stream<Path> files = Files.list(d)) {
                        files.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(jars::add);
                    }
                }
            }
            if (jars.isEmpty()) {
                return Optional.empty();
            }
            jars.add(Benchmarks.classes());
            jars.addAll(extraClasspath());
            return Optional.of(jars);
        }

        /** What a benchmark run on a service's jars needs besides the benchmarks' classes. */
        List<Path> extraClasspath() {
            return List.of();
        }

        static boolean contains(List<Path> classpath, String className) throws IOException {
            String entry = className.replace('.', '/') + ".class";
            for (Path jar : classpath) {
                if (Files.isDirectory(jar) && Files.isRegularFile(jar.resolve(entry))) {
                    return true;
                }
                if (Files.isRegularFile(jar)) {
                    try (ZipFile zip = new ZipFile(jar.toFile())) {
                        if (zip.getEntry(entry) != null) {
                            return true;
                        }
                    }
                }
            }
            // The own jar reaches its libraries through its manifest: ask the class loader.
            if (classpath.size() == 1 && classpath.getFirst().equals(ownClasspath().getFirst())) {
                return BenchCommand.class.getClassLoader().getResource(entry) != null;
            }
            return false;
        }
    }

    @Command(name = "embed", description = "The embedding runtime: raw batches against the dynamic batcher, per tower and batch size.")
    static final class Embed extends Bench {
        String name() { return "embed"; }
        String mainClass() { return Benchmarks.EMBED; }
        Source source() { return new OwnClasspath(); }
    }

    @Command(name = "index", description = {"Indexing throughput against the local stack: the real services (media-catalog"
            + " and the modality's indexer, started for the run in a namespace and on ports of their own, stopped"
            + " after it) from media.arrived to INDEXED, next to a plain single-threaded consumer loop and raw"
            + " inference on the same items, model and threads; then the CPU per process and per stage.",
            "Options after 'index' go to the benchmark: --items N, --modalities image,text,..., --model NAME[:V],"
            + " --threads N, --warmup F, --latency-seconds S. Needs ./tessera stack up."})
    static final class Index extends Bench {
        String name() { return "index"; }
        String mainClass() { return Benchmarks.INDEX; }
        Source source() { return new QuarkusApp(ServiceCatalog.byName("image-indexer")); }

        @Override
        public Integer call() throws IOException, InterruptedException {
            return new IndexBenchServices(options.config(), arguments).run(this::launch);
        }
    }

    @Command(name = "search", description = "Text encoding plus Milvus search against the local stack's Milvus.")
    static final class Search extends Bench {
        String name() { return "search"; }
        String mainClass() { return Benchmarks.SEARCH; }
        Source source() { return new QuarkusApp(ServiceCatalog.byName("search-api")); }

        /** It measures tessera-tiny, which search-api does not bundle: the tessera-tiny jar from this class path. */
        @Override
        List<Path> extraClasspath() {
            return bundledModelRoot("tessera/models/tessera-tiny/1/tessera-model.json").stream().toList();
        }
    }

    /** The jar (or classes directory) on this class path that holds {@code resource}; empty when none does. */
    static Optional<Path> bundledModelRoot(String resource) {
        java.net.URL url = BenchCommand.class.getClassLoader().getResource(resource);
        if (url == null) {
            return Optional.empty();
        }
        try {
            String s = url.toString();
            if (s.startsWith("jar:")) {
                return Optional.of(Path.of(new java.net.URI(s.substring("jar:".length(), s.indexOf("!/")))));
            }
            Path p = Path.of(url.toURI());
            for (int i = 0; i < resource.split("/").length; i++) {
                p = p.getParent();
            }
            return Optional.of(p);
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
