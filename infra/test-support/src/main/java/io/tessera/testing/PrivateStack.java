package io.tessera.testing;

import io.tessera.stack.LocalStackManager;
import io.tessera.stack.ProgressListener;
import io.tessera.stack.StackConfig;
import io.tessera.stack.StackPart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A local stack of a test's own (its own runtime directory and free ports), for tests that stop and restart parts of
 * it: the shared stack of {@link LocalStack} must keep running for every other test. The downloads and the Milvus
 * virtualenv are the shared stack's (linked, not copied), so it starts in seconds once those are installed.
 * {@link #close()} stops whatever runs.
 */
public final class PrivateStack implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(
            Long.getLong("tessera.stack.start-timeout-seconds", 300));

    private final LocalStackManager manager;

    private PrivateStack(LocalStackManager manager) {
        this.manager = manager;
    }

    /**
     * A stack under {@code home} (created; typically a {@code @TempDir}) on free loopback ports, not yet started.
     */
    public static PrivateStack in(Path home) {
        StackConfig shared = StackConfig.fromEnvironment();
        try {
            Files.createDirectories(home);
            for (Path linked : List.of(shared.cacheDir(), shared.venvDir())) {
                Path link = home.resolve(linked.getFileName());
                if (Files.isDirectory(linked) && !Files.exists(link)) {
                    Files.createSymbolicLink(link, linked);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare a private stack under " + home, e);
        }
        int[] ports = freePorts(4);
        return new PrivateStack(new LocalStackManager(shared.withHome(home).withPorts(ports[0], ports[1], ports[2], ports[3])
                .withS3Port(freeBlock(StackConfig.S3_PORT_SPAN, ports))));
    }

    /**
     * The same, with a second Kafka listener that only SASL/SCRAM over TLS clients may use
     * ({@link StackConfig#kafkaSecureClientProperties()}); the stack's own parts keep the plaintext one.
     */
    public static PrivateStack secured(Path home) {
        PrivateStack plain = in(home);
        StackConfig c = plain.config();
        int port;
        do {
            port = freePorts(1)[0];
        } while (port == c.kafkaPort() || port == c.kafkaControllerPort() || port == c.registryPort()
                || port == c.milvusPort() || (port >= c.s3Port() && port < c.s3Port() + StackConfig.S3_PORT_SPAN));
        return new PrivateStack(new LocalStackManager(c.withKafkaSecurePort(port)));
    }

    public StackConfig config() {
        return manager.config();
    }

    public StackEndpoints endpoints() {
        StackConfig c = manager.config();
        return new StackEndpoints(c.kafkaBootstrap(), c.registryUrl(), c.milvusUri());
    }

    /** Starts every part that is not running and waits until each answers. */
    public PrivateStack up() {
        manager.up(new Progress(), START_TIMEOUT);
        return this;
    }

    /** Stops the given parts (all when none are given). */
    public void down(StackPart... parts) {
        manager.down(parts.length == 0 ? EnumSet.allOf(StackPart.class) : Set.of(parts));
    }

    /** Stops the given parts (all when none are given) and brings the stack up again. */
    public void restart(StackPart... parts) {
        down(parts);
        up();
    }

    @Override
    public void close() {
        manager.down();
    }

    private static int[] freePorts(int count) {
        Set<Integer> seen = new HashSet<>();
        int[] ports = new int[count];
        for (int i = 0; i < count; i++) {
            int port;
            do {
                try (ServerSocket socket = new ServerSocket(0)) {
                    port = socket.getLocalPort();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } while (!seen.add(port));
            ports[i] = port;
        }
        return ports;
    }

    /** The first of {@code span} consecutive free ports, clear of {@code taken}. */
    private static int freeBlock(int span, int[] taken) {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 20_000 + random.nextInt(30_000);
            boolean free = true;
            for (int p = base; p < base + span && free; p++) {
                final int port = p;
                free = java.util.Arrays.stream(taken).noneMatch(t -> t == port) && isFree(port);
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no " + span + " consecutive free ports found for a private object store");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static final class Progress implements ProgressListener {
        @Override
        public void progress(StackPart part, String activity, Duration elapsed) {
            // Only the outcome is worth a line in a test log.
        }

        @Override
        public void ready(StackPart part, boolean alreadyRunning, String summary, Duration elapsed) {
            System.err.printf("[private-stack] %-8s %s in %.1fs%n", part.id(), summary, elapsed.toMillis() / 1000.0);
        }
    }
}
