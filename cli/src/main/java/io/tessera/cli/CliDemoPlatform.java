package io.tessera.cli;

import io.tessera.cli.services.Gpu;
import io.tessera.embedding.model.DefaultModels;
import io.tessera.embedding.model.LocalModelStore;
import io.tessera.embedding.model.ModelLoadException;
import io.tessera.embedding.model.ModelRef;
import io.tessera.embedding.model.ModelStoreException;
import io.tessera.cli.services.ServiceBuilder;
import io.tessera.cli.services.ServiceCatalog;
import io.tessera.cli.services.ServiceDefinition;
import io.tessera.cli.services.ServiceRunner;
import io.tessera.demo.run.DemoFailedException;
import io.tessera.demo.run.DemoPlatform;
import io.tessera.stack.LocalStackManager;
import io.tessera.stack.StackConfig;
import io.tessera.stack.StackException;
import io.tessera.stack.StackPart;
import java.io.PrintStream;
import java.nio.file.Path;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The demo's platform on this machine: the local stack manager and the service catalogue, as `stack up` and `services up` use them. */
final class CliDemoPlatform implements DemoPlatform {

    private static final Duration STACK_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration SERVICE_TIMEOUT = Duration.ofSeconds(240);

    private final StackConfig config;
    private final PrintStream out;
    private final boolean terminal;
    private final ServiceRunner runner;
    private final Set<StackPart> stackStarted = EnumSet.noneOf(StackPart.class);
    private final List<ServiceDefinition> servicesStarted = new ArrayList<>();

    /** Where the demo takes a model that is not bundled from: the default model store or --models-dir. */
    private final Path modelsDir;

    CliDemoPlatform(StackConfig config, PrintStream out, boolean terminal, Path modelsDir) {
        this.modelsDir = modelsDir;
        this.config = config;
        this.out = out;
        this.terminal = terminal;
        this.runner = new ServiceRunner(config);
    }

    @Override
    public void buildServices() {
        refuseRunningServices("build");
        List<ServiceDefinition> missing = ServiceCatalog.all().stream()
                .filter(s -> !ServiceCatalog.isAvailable(config.repoRoot(), s)).toList();
        if (!missing.isEmpty()) {
            throw new DemoFailedException("build", "the demo needs every service, and "
                    + missing.stream().map(ServiceDefinition::name).collect(Collectors.joining(", "))
                    + (missing.size() == 1 ? " is " : " are ") + "not available yet in this checkout");
        }
        Gpu gpu = Gpu.detect();
        out.println("  " + gpu.describe());
        ServiceBuilder builder = new ServiceBuilder(config, gpu.flavour());
        List<ServiceDefinition> needed = builder.needingBuild(ServiceCatalog.all());
        if (needed.isEmpty()) {
            out.println("  every service is built");
            return;
        }
        try {
            builder.build(needed, out, terminal);
        } catch (StackException e) {
            throw new DemoFailedException("build", e.getMessage(), e);
        }
    }

    @Override
    public void installModel(String name, int version, Path runStore) {
        ModelRef ref = new ModelRef(name, version);
        LocalModelStore target = new LocalModelStore(runStore);
        try {
            LocalModelStore source = new LocalModelStore(modelsDir);
            if (source.contains(ref)) {
                target.install(source.open(ref));
                out.printf("  model %s from %s%n", ref, source.root());
            } else {
                // The bundled default models install themselves from the services' class path.
                DefaultModels.installBundled(target, ref);
                out.printf("  model %s (bundled with this build)%n", ref);
            }
        } catch (ModelStoreException | ModelLoadException e) {
            throw new DemoFailedException("services", "model " + ref + " is neither in " + modelsDir
                    + " nor bundled with this build (./tessera model list; ./tessera model import): "
                    + e.getMessage(), e);
        }
    }

    @Override
    public StackAddresses startStack() {
        LocalStackManager stack = new LocalStackManager(config);
        try (ConsoleProgress progress = new ConsoleProgress(out, terminal)) {
            LocalStackManager.UpResult result = stack.up(progress, STACK_TIMEOUT);
            synchronized (this) {
                stackStarted.addAll(result.started());
            }
        } catch (StackException e) {
            throw new DemoFailedException("stack", e.getMessage(), e);
        }
        return new StackAddresses(config.kafkaBootstrap(), config.registryUrl(), config.milvusUri());
    }

    @Override
    public void startServices(Map<String, String> environment) {
        List<ServiceDefinition> services = ServiceCatalog.all();
        refuseRunningServices("services");
        try {
            ServicesCommand.startAll(runner, services, environment, SERVICE_TIMEOUT, out, s -> {
                synchronized (this) {
                    servicesStarted.add(s);
                }
            });
        } catch (StackException e) {
            throw new DemoFailedException("services", e.getMessage(), e);
        }
    }

    private void refuseRunningServices(String step) {
        List<String> running = ServiceCatalog.all().stream().filter(s -> runner.pid(s).isPresent())
                .map(ServiceDefinition::name).toList();
        if (!running.isEmpty()) {
            throw new DemoFailedException(step, String.join(", ", running) + (running.size() == 1 ? " is" : " are")
                    + " already running (./tessera services up?): the demo starts its own, in a namespace of its own;"
                    + " stop them first with ./tessera services down");
        }
    }

    @Override
    public String serviceLog(String service) {
        return runner.logFile(ServiceCatalog.byName(service)).toString();
    }

    @Override
    public URI serviceUrl(String service) {
        return URI.create("http://" + config.host() + ":" + ServiceCatalog.byName(service).port());
    }

    @Override
    public synchronized void stopStartedServices() {
        List<String> failures = new ArrayList<>();
        for (ServiceDefinition s : servicesStarted.reversed()) {
            try {
                // startAll may have stopped it already (a service that failed to start takes the others down).
                if (!runner.down(s)) {
                    continue;
                }
                out.printf("  %-18s stopped%n", s.name());
            } catch (RuntimeException e) {
                failures.add(s.name() + ": " + e.getMessage());
            }
        }
        servicesStarted.clear();
        out.flush();
        if (!failures.isEmpty()) {
            throw new StackException("could not stop " + String.join("; ", failures));
        }
    }

    @Override
    public synchronized void stopStartedStack() {
        if (stackStarted.isEmpty()) {
            return;
        }
        try {
            Set<StackPart> stopped = new LocalStackManager(config).down(stackStarted);
            out.printf("  stack stopped: %s%n", StackCommand.names(stopped));
        } catch (RuntimeException e) {
            throw new StackException("could not stop the stack: " + e.getMessage(), e);
        } finally {
            stackStarted.clear();
            out.flush();
        }
    }
}
