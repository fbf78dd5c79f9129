package io.tessera.cli;

import io.tessera.cli.services.Gpu;
import io.tessera.cli.services.ServiceBuilder;
import io.tessera.cli.services.ServiceCatalog;
import io.tessera.cli.services.ServiceDefinition;
import io.tessera.cli.services.ServiceRunner;
import io.tessera.stack.LocalStackManager;
import io.tessera.stack.StackConfig;
import io.tessera.stack.StackException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "services",
        description = {"Every Tessera service as a background process against the local stack",
                "(search-api on 127.0.0.1:8080); logs and pids under the runtime directory."},
        subcommands = {ServicesCommand.Up.class, ServicesCommand.Down.class, ServicesCommand.Status.class})
final class ServicesCommand implements Runnable {

    static final String NOT_AVAILABLE = "not available yet (its module has no sources in this checkout)";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "up", description = {"Build the service jars that are missing or older than their sources, start every "
            + "service that is not running and wait for /q/health/ready."})
    static final class Up implements Callable<Integer> {
        @Mixin StackOptions options;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "180", description = "How long the services may take to become ready (default ${DEFAULT-VALUE}).")
        long timeoutSeconds;

        @Option(names = "--no-build", description = "Never build; fail when a jar is missing.")
        boolean noBuild;

        @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", description = "Extra environment for every service, e.g. -e TESSERA_FETCH_FILE_ROOTS=/data.")
        Map<String, String> environment = Map.of();

        @Option(names = "--secured-kafka", description = "Connect every service through the stack's SASL/SCRAM-over-TLS"
                + " listener (stack up --kafka-secure-port), with the same KAFKA_* settings a secured cluster needs.")
        boolean securedKafka;

        @Option(names = "--model", paramLabel = "NAME[:VERSION]", description = "The model every service serves and"
                + " the trainer improves (default: the services' own, tessera-base:1; an imported one: see ./tessera model"
                + " list).")
        String model;

        @Override
        public Integer call() {
            StackConfig config = options.config();
            Map<String, String> env = new java.util.LinkedHashMap<>(modelEnvironment(model));
            if (securedKafka) {
                env.putAll(securedKafkaEnvironment(config));
            }
            env.putAll(environment);
            List<ServiceDefinition> services = ServiceCatalog.available(config.repoRoot());
            for (ServiceDefinition s : ServiceCatalog.all()) {
                if (!services.contains(s)) {
                    System.out.printf("%-18s %s%n", s.name(), NOT_AVAILABLE);
                }
            }
            if (services.isEmpty()) {
                return 0;
            }
            if (!new LocalStackManager(config).status().allUp()) {
                throw new StackException("the local stack is not up: run ./tessera stack up first");
            }
            Gpu gpu = Gpu.detect();
            System.out.println(gpu.describe());
            if (!noBuild) {
                ServiceBuilder builder = new ServiceBuilder(config, gpu.flavour());
                builder.build(builder.needingBuild(services), System.out, ConsoleProgress.stdoutIsTerminal());
            }
            ServiceRunner runner = new ServiceRunner(config);
            installBundledModel(model, runner.modelStore());
            startAll(runner, services, env, Duration.ofSeconds(timeoutSeconds), System.out, s -> { });
            return 0;
        }
    }

    /**
     * A model that this command line bundles but the services do not (tessera-tiny: its jar is on the command line's
     * class path, never in a service) is installed into the services' model store before they start.
     */
    static void installBundledModel(String model, java.nio.file.Path store) {
        if (model == null || model.isBlank()) {
            return;
        }
        int sep = Math.max(model.lastIndexOf(':'), model.lastIndexOf('/'));
        io.tessera.embedding.model.ModelRef ref = new io.tessera.embedding.model.ModelRef(
                sep > 0 ? model.substring(0, sep) : model, sep > 0 ? Integer.parseInt(model.substring(sep + 1)) : 1);
        if (io.tessera.embedding.model.DefaultModels.isBundled(ref)) {
            io.tessera.embedding.model.DefaultModels.installBundled(
                    new io.tessera.embedding.model.LocalModelStore(store), ref);
        }
    }

    /**
     * The KAFKA_* settings of the stack's secured listener, as every service and client reads them (plus the indexers'
     * own key for the bootstrap servers).
     */
    static Map<String, String> securedKafkaEnvironment(StackConfig config) {
        if (config.kafkaSecurePort() == 0) {
            throw new StackException("the stack has no secured Kafka listener: start it with ./tessera stack up"
                    + " --kafka-secure-port PORT (or TESSERA_KAFKA_SECURE_PORT), then pass the same option here");
        }
        Map<String, String> env = new java.util.LinkedHashMap<>();
        config.kafkaSecureClientProperties().forEach((k, v) -> env.put(
                io.tessera.events.KafkaConnection.environmentName(io.tessera.events.KafkaConnection.PREFIX + k), v));
        env.put("KAFKA_BOOTSTRAP_SERVERS", config.kafkaSecureBootstrap());
        return env;
    }

    /**
     * The environment that points every service at one model: {@code tessera.model.name} and {@code version}, read
     * by the indexers, search-api and the trainer alike.
     */
    static Map<String, String> modelEnvironment(String model) {
        if (model == null || model.isBlank()) {
            return Map.of();
        }
        int sep = Math.max(model.lastIndexOf(':'), model.lastIndexOf('/'));
        String name = sep > 0 ? model.substring(0, sep) : model;
        String version = sep > 0 ? model.substring(sep + 1) : "1";
        if (!version.matches("[1-9][0-9]*")) {
            throw new IllegalArgumentException("--model takes NAME or NAME:VERSION, got '" + model + "'");
        }
        return io.tessera.demo.run.Namespace.modelEnvironment(name, Integer.parseInt(version));
    }

    /**
     * Starts the first service (media-catalog: it creates the topics) and waits for it, then launches the others at
     * once and waits for each; prints one line per service. Returns the services it started.
     *
     * @param onStarted told about each service right after its launch (before it is ready), so that a caller that
     *                  is interrupted meanwhile (Ctrl-C) knows what to stop
     */
    static List<ServiceDefinition> startAll(ServiceRunner runner, List<ServiceDefinition> services,
                                            Map<String, String> environment, Duration timeout, PrintStream out,
                                            java.util.function.Consumer<ServiceDefinition> onStarted) {
        List<ServiceDefinition> started = new ArrayList<>();
        long begin = System.nanoTime();
        try {
            for (int i = 0; i < services.size(); i++) {
                ServiceDefinition s = services.get(i);
                if (runner.start(s, environment)) {
                    started.add(s);
                    onStarted.accept(s);
                }
                if (i == 0) {
                    runner.awaitReady(s, timeout);
                    report(out, runner, s, started.contains(s), begin);
                }
            }
            for (ServiceDefinition s : services.subList(1, services.size())) {
                runner.awaitReady(s, timeout);
                report(out, runner, s, started.contains(s), begin);
            }
        } catch (RuntimeException e) {
            // Half a system is of no use and would hold the ports: stop what this call started.
            for (ServiceDefinition s : started.reversed()) {
                try {
                    runner.down(s);
                } catch (RuntimeException stop) {
                    e.addSuppressed(stop);
                }
            }
            throw e;
        }
        return started;
    }

    private static void report(PrintStream out, ServiceRunner runner, ServiceDefinition s, boolean started, long begin) {
        out.printf("%-18s %s http://%s:%d%n", s.name(),
                started ? String.format("ready after %.1fs", (System.nanoTime() - begin) / 1e9) : "already running",
                runner.host(), s.port());
        out.flush();
    }

    @Command(name = "down", description = "Stop the services this runtime directory started.")
    static final class Down implements Callable<Integer> {
        @Mixin StackOptions options;

        @Override
        public Integer call() {
            ServiceRunner runner = new ServiceRunner(options.config());
            for (ServiceDefinition s : ServiceCatalog.all().reversed()) {
                boolean stopped = runner.down(s);
                if (stopped || ServiceCatalog.isAvailable(options.config().repoRoot(), s)) {
                    System.out.printf("%-18s %s%n", s.name(), stopped ? "stopped" : "was not running");
                }
            }
            return 0;
        }
    }

    @Command(name = "status", description = "Each service running or not. Exit code 0 when all available services run, 3 otherwise.")
    static final class Status implements Callable<Integer> {
        @Mixin StackOptions options;

        @Override
        public Integer call() {
            StackConfig config = options.config();
            ServiceRunner runner = new ServiceRunner(config);
            boolean all = true;
            System.out.printf("%-18s %-8s %-28s %-8s %s%n", "SERVICE", "STATE", "ADDRESS", "PID", "LOG");
            for (ServiceDefinition s : ServiceCatalog.all()) {
                OptionalLong pid = runner.pid(s);
                boolean available = ServiceCatalog.isAvailable(config.repoRoot(), s);
                if (!available && pid.isEmpty()) {
                    System.out.printf("%-18s %s%n", s.name(), NOT_AVAILABLE);
                    continue;
                }
                all &= pid.isPresent();
                System.out.printf("%-18s %-8s %-28s %-8s %s%n", s.name(), pid.isPresent() ? "up" : "down",
                        "http://" + config.host() + ":" + s.port(), pid.isPresent() ? pid.getAsLong() : "-",
                        runner.logFile(s));
            }
            return all ? 0 : TesseraCommand.EXIT_NOT_RUNNING;
        }
    }
}
