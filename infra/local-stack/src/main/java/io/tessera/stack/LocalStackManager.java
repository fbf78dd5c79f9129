package io.tessera.stack;

import io.tessera.stack.internal.FileTrees;
import io.tessera.stack.internal.KafkaServer;
import io.tessera.stack.internal.MilvusServer;
import io.tessera.stack.internal.ObjectStoreServer;
import io.tessera.stack.internal.Ports;
import io.tessera.stack.internal.RegistryServer;
import io.tessera.stack.internal.Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Installs, starts, checks and stops the local stack: Kafka, the schema registry and Milvus Lite, each
 * as its own detached process under the runtime directory (logs/, run/ for pids and generated
 * configuration, data/, cache/ for downloaded servers, venv/).
 *
 * <p>Operations on one runtime directory are serialised by a file lock, so two JVMs (two test runs, a
 * test run and the CLI) never start the same stack twice.
 */
public final class LocalStackManager {

    /** What {@link #up} did. */
    public record UpResult(Set<StackPart> started, Set<StackPart> alreadyRunning) { }

    private static final Map<Path, ReentrantLock> IN_JVM_LOCKS = new ConcurrentHashMap<>();

    private final StackConfig config;
    private final Map<StackPart, Server> servers;
    /** Parts whose process an {@code up} of this manager launched (see {@link #abortLaunched}). */
    private final Set<StackPart> launched = ConcurrentHashMap.newKeySet();

    public LocalStackManager(StackConfig config) {
        this.config = config;
        KafkaServer kafka = new KafkaServer(config);
        this.servers = Map.of(
                StackPart.KAFKA, kafka,
                StackPart.REGISTRY, new RegistryServer(config, kafka),
                StackPart.MILVUS, new MilvusServer(config),
                StackPart.OBJECTS, new ObjectStoreServer(config));
    }

    public StackConfig config() {
        return config;
    }

    public StackStatus status() {
        List<PartStatus> parts = new ArrayList<>();
        for (StackPart part : StackPart.values()) {
            parts.add(status(servers.get(part)));
        }
        return new StackStatus(parts);
    }

    private PartStatus status(Server server) {
        OptionalLong pid = server.process().runningPid();
        PartState state;
        if (pid.isPresent()) {
            state = Ports.accepting(config.host(), server.ports().get(0)) ? PartState.UP : PartState.STARTING;
        } else {
            state = server.ports().stream().anyMatch(p -> !Ports.free(config.host(), p)) ? PartState.PORT_TAKEN : PartState.DOWN;
        }
        return new PartStatus(server.part(), state, server.version(), server.address(), pid);
    }

    /**
     * Brings every part up and waits until each answers a real client request. Parts that already run
     * are left alone. Throws the first failure (others attached as suppressed) after every part has
     * finished trying.
     */
    public UpResult up(ProgressListener listener, Duration startTimeout) {
        return locked(() -> {
            Files.createDirectories(config.logsDir());
            Files.createDirectories(config.runDir());
            Files.createDirectories(config.dataDir());
            preflight();
            Set<StackPart> started = EnumSet.noneOf(StackPart.class);
            Set<StackPart> running = EnumSet.noneOf(StackPart.class);
            ExecutorService pool = Executors.newFixedThreadPool(StackPart.values().length, r -> {
                Thread t = new Thread(r, "tessera-stack-up");
                t.setDaemon(true);
                return t;
            });
            try {
                Map<StackPart, Future<Boolean>> results = new java.util.EnumMap<>(StackPart.class);
                for (StackPart part : StackPart.values()) {
                    results.put(part, pool.submit(() -> upOne(servers.get(part), listener, startTimeout)));
                }
                StackException failure = null;
                for (var e : results.entrySet()) {
                    try {
                        if (e.getValue().get()) {
                            started.add(e.getKey());
                        } else {
                            running.add(e.getKey());
                        }
                    } catch (ExecutionException ex) {
                        StackException cause = ex.getCause() instanceof StackException se ? se
                                : new StackException(e.getKey().id() + ": " + ex.getCause(), ex.getCause());
                        if (failure == null) {
                            failure = cause;
                        } else {
                            failure.addSuppressed(cause);
                        }
                    }
                }
                if (failure != null) {
                    throw failure;
                }
                return new UpResult(Set.copyOf(started), Set.copyOf(running));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while bringing the stack up", e);
            } finally {
                pool.shutdownNow();
            }
        });
    }

    /**
     * Checks, before anything starts, what would make a part fail at once (a port held by another
     * program, no Python, no Maven wrapper), so that a doomed {@code up} leaves nothing half-started.
     */
    private void preflight() {
        StackException failure = null;
        for (StackPart part : StackPart.values()) {
            Server server = servers.get(part);
            if (server.process().isRunning()) {
                continue;
            }
            try {
                checkPortsFree(server);
                if (!server.installed()) {
                    server.checkInstallable();
                }
            } catch (StackException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void checkPortsFree(Server server) {
        for (int port : server.ports()) {
            if (!Ports.free(config.host(), port)) {
                String who = Ports.listener(port).map(u -> " (" + u + ")").orElse("");
                throw new StackException.PortTakenException(server.part().id() + ": port " + config.host() + ":" + port
                        + " is taken by another program" + who + ": stop that program, or choose another port with "
                        + server.portHint());
            }
        }
    }

    private boolean upOne(Server server, ProgressListener listener, Duration startTimeout) {
        Instant begin = Instant.now();
        try {
            return upOne(server, listener, startTimeout, begin);
        } catch (RuntimeException e) {
            listener.failed(server.part(), e.getMessage(), Duration.between(begin, Instant.now()));
            throw e;
        }
    }

    /** Returns true when it started the part, false when the part was already running. */
    private boolean upOne(Server server, ProgressListener listener, Duration startTimeout, Instant begin) {
        StackPart part = server.part();
        java.util.function.Consumer<String> activity = a -> listener.progress(part, a, Duration.between(begin, Instant.now()));
        OptionalLong pid = server.process().runningPid();
        if (pid.isPresent()) {
            if (!Ports.accepting(config.host(), server.ports().get(0))) {
                // Ours, but still starting (another `up` launched it, or it is restarting): wait for it.
                server.awaitReady(Instant.now().plus(startTimeout), activity);
            }
            listener.ready(part, true, "already running (pid " + pid.getAsLong() + ")", Duration.between(begin, Instant.now()));
            return false;
        }
        checkPortsFree(server);
        if (!server.installed()) {
            server.install(activity);
        }
        server.prepare(activity);
        activity.accept("starting");
        long newPid = server.process().start(server.command(), server.environment(), server.workDir());
        launched.add(part);
        server.awaitReady(Instant.now().plus(startTimeout), activity);
        listener.ready(part, false, "started (pid " + newPid + ")", Duration.between(begin, Instant.now()));
        return true;
    }

    /**
     * For an {@code up} that is being abandoned (Ctrl-C: the JVM runs its shutdown hooks while {@code up} still holds
     * the stack lock): stops the parts this manager launched, so that nothing half-started outlives the command.
     * It takes no lock, on purpose: the lock's holder is the {@code up} that is going away. Parts that were already
     * running before are left alone. Returns what it stopped.
     */
    public Set<StackPart> abortLaunched() {
        Set<StackPart> stopped = EnumSet.noneOf(StackPart.class);
        for (StackPart part : Set.copyOf(launched)) {
            Server server = servers.get(part);
            try {
                if (server.process().stop(server.stopSteps())) {
                    stopped.add(part);
                }
            } catch (RuntimeException e) {
                // Best effort at exit: `stack status` and `stack down` still see the pid file.
            }
        }
        launched.removeAll(stopped);
        return stopped;
    }

    /** Stops the given parts (those of ours that run) and waits until their ports are released. Returns what it stopped. */
    public Set<StackPart> down(Collection<StackPart> parts) {
        return locked(() -> {
            Set<StackPart> stopped = ConcurrentHashMap.newKeySet();
            List<RuntimeException> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            // Kafka last: the registry keeps its store in Kafka and should shut down while it still answers.
            List<StackPart> firstWave = parts.stream().filter(p -> p != StackPart.KAFKA).toList();
            stopInParallel(firstWave, stopped, failures);
            if (parts.contains(StackPart.KAFKA)) {
                stopInParallel(List.of(StackPart.KAFKA), stopped, failures);
            }
            if (!failures.isEmpty()) {
                RuntimeException first = failures.get(0);
                failures.subList(1, failures.size()).forEach(first::addSuppressed);
                throw first;
            }
            return Set.copyOf(stopped);
        });
    }

    private void stopInParallel(Collection<StackPart> parts, Set<StackPart> stopped, List<RuntimeException> failures)
            throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (StackPart part : parts) {
            Server server = servers.get(part);
            threads.add(Thread.ofPlatform().name("tessera-stack-down-" + part.id()).start(() -> {
                try {
                    if (server.process().stop(server.stopSteps())) {
                        stopped.add(part);
                        awaitPortsReleased(server);
                    }
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    public Set<StackPart> down() {
        return down(EnumSet.allOf(StackPart.class));
    }

    /**
     * Stops the stack and deletes its data (Kafka logs, Milvus collections). Downloads and the
     * virtualenv stay, unless {@code everything}: then the whole runtime directory goes.
     */
    public Set<StackPart> reset(boolean everything) {
        Set<StackPart> stopped = down();
        locked(() -> {
            FileTrees.deleteRecursively(config.dataDir());
            FileTrees.deleteRecursively(config.runDir().resolve("kafka"));
            if (everything) {
                for (Path p : List.of(config.cacheDir(), config.venvDir(), config.logsDir(), config.runDir())) {
                    FileTrees.deleteRecursively(p);
                }
            }
            return null;
        });
        return stopped;
    }

    public Path logFile(StackPart part) {
        return servers.get(part).process().logFile();
    }

    private void awaitPortsReleased(Server server) {
        Instant deadline = Instant.now().plusSeconds(10);
        for (int port : server.ports()) {
            while (!Ports.free(config.host(), port) && Instant.now().isBefore(deadline)) {
                BackgroundProcess.sleep(Duration.ofMillis(100));
            }
        }
    }

    private interface LockedAction<T> {
        T run() throws IOException, InterruptedException;
    }

    private <T> T locked(LockedAction<T> action) {
        Path lockFile = config.home().resolve("stack.lock");
        ReentrantLock inJvm = IN_JVM_LOCKS.computeIfAbsent(lockFile, k -> new ReentrantLock());
        inJvm.lock();
        try {
            if (inJvm.getHoldCount() > 1) {
                return action.run();
            }
            Files.createDirectories(config.home());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                return action.run();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        } finally {
            inJvm.unlock();
        }
    }
}
