package io.tessera.cli;

import io.tessera.cli.services.ServiceCatalog;
import io.tessera.cli.services.ServiceDefinition;
import io.tessera.cli.services.ServiceRunner;
import io.tessera.stack.LocalStackManager;
import io.tessera.stack.StackConfig;
import io.tessera.stack.StackException;
import java.time.Duration;
import java.util.List;
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

    static final String NONE_YET = "No Tessera services exist yet: they arrive with their issues (media-catalog, the indexers,"
            + " search-api, the trainer; see ARCHITECTURE.md). Nothing to %s.";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "up", description = "Start every service that is not running and wait for /q/health/ready.")
    static final class Up implements Callable<Integer> {
        @Mixin StackOptions options;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120", description = "Per service (default ${DEFAULT-VALUE}).")
        long timeoutSeconds;

        @Override
        public Integer call() {
            List<ServiceDefinition> services = ServiceCatalog.all();
            if (services.isEmpty()) {
                System.out.printf(NONE_YET + "%n", "start");
                return 0;
            }
            StackConfig config = options.config();
            if (!new LocalStackManager(config).status().allUp()) {
                throw new StackException("the local stack is not up: run ./tessera stack up first");
            }
            ServiceRunner runner = new ServiceRunner(config);
            for (ServiceDefinition s : services) {
                long begin = System.nanoTime();
                boolean started = runner.up(s, Duration.ofSeconds(timeoutSeconds));
                System.out.printf("%-18s %s http://%s:%d%n", s.name(),
                        started ? String.format("started in %.1fs", (System.nanoTime() - begin) / 1e9) : "already running",
                        config.host(), s.port());
            }
            return 0;
        }
    }

    @Command(name = "down", description = "Stop the services this runtime directory started.")
    static final class Down implements Callable<Integer> {
        @Mixin StackOptions options;

        @Override
        public Integer call() {
            List<ServiceDefinition> services = ServiceCatalog.all();
            if (services.isEmpty()) {
                System.out.printf(NONE_YET + "%n", "stop");
                return 0;
            }
            ServiceRunner runner = new ServiceRunner(options.config());
            for (ServiceDefinition s : services.reversed()) {
                System.out.printf("%-18s %s%n", s.name(), runner.down(s) ? "stopped" : "was not running");
            }
            return 0;
        }
    }

    @Command(name = "status", description = "Each service running or not. Exit code 0 when all run, 3 otherwise.")
    static final class Status implements Callable<Integer> {
        @Mixin StackOptions options;

        @Override
        public Integer call() {
            List<ServiceDefinition> services = ServiceCatalog.all();
            if (services.isEmpty()) {
                System.out.printf(NONE_YET + "%n", "show");
                return 0;
            }
            ServiceRunner runner = new ServiceRunner(options.config());
            boolean all = true;
            System.out.printf("%-18s %-8s %-28s %s%n", "SERVICE", "STATE", "ADDRESS", "PID");
            for (ServiceDefinition s : services) {
                OptionalLong pid = runner.pid(s);
                all &= pid.isPresent();
                System.out.printf("%-18s %-8s %-28s %s%n", s.name(), pid.isPresent() ? "up" : "down",
                        "http://" + options.config().host() + ":" + s.port(), pid.isPresent() ? pid.getAsLong() : "-");
            }
            return all ? 0 : TesseraCommand.EXIT_NOT_RUNNING;
        }
    }
}
