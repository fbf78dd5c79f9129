package io.tessera.testing;

import io.tessera.stack.LocalStackManager;
import io.tessera.stack.ProgressListener;
import io.tessera.stack.StackConfig;
import io.tessera.stack.StackException;
import io.tessera.stack.StackPart;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

/**
 * The local stack for integration tests: one per JVM, shared by every test class.
 *
 * <p>{@link #endpoints()} reuses a stack that already answers on the configured ports (a
 * {@code ./tessera stack up}, or the one {@code .ci/run} started), else starts the parts that are
 * missing and stops exactly those when the JVM exits (set {@code -Dtessera.stack.keep=true} to leave
 * them running for the next run). Ports and the runtime directory follow {@link StackConfig}: the
 * {@code tessera.*} system properties, then the {@code TESSERA_*} variables, then the defaults.
 */
public final class LocalStack {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(
            Long.getLong("tessera.stack.start-timeout-seconds", 300));

    private static StackEndpoints endpoints;
    private static RuntimeException failure;

    private LocalStack() { }

    /** The running stack's endpoints, starting it first if needed. Thread-safe; the first caller pays the start. */
    public static synchronized StackEndpoints endpoints() {
        if (endpoints != null) {
            return endpoints;
        }
        if (failure != null) {
            // Every later test class fails the same way at once, instead of waiting for another timeout.
            throw failure;
        }
        StackConfig config = StackConfig.fromEnvironment();
        StackEndpoints candidate = new StackEndpoints(config.kafkaBootstrap(), config.registryUrl(), config.milvusUri());
        if (answering(config)) {
            endpoints = candidate;
            return endpoints;
        }
        LocalStackManager manager = new LocalStackManager(config);
        try {
            System.err.println("[tessera] starting the local stack for this test run under " + config.home() + " …");
            LocalStackManager.UpResult result = manager.up(new LogProgress(), START_TIMEOUT);
            stopAtExit(manager, result.started());
        } catch (RuntimeException e) {
            failure = new IllegalStateException("The local stack (Kafka " + config.kafkaBootstrap() + ", registry "
                    + config.registryUrl() + ", Milvus " + config.milvusUri() + ") could not start: " + e.getMessage()
                    + ". Start it by hand with './tessera stack up' (logs in " + config.logsDir()
                    + "), or skip integration tests with -DskipITs.", e);
            throw failure;
        }
        endpoints = candidate;
        return endpoints;
    }

    private static void stopAtExit(LocalStackManager manager, Set<StackPart> started) {
        if (started.isEmpty() || Boolean.getBoolean("tessera.stack.keep")) {
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                manager.down(started);
            } catch (StackException e) {
                System.err.println("[tessera] could not stop the local stack: " + e.getMessage());
            }
        }, "tessera-stack-stop"));
    }

    /** Whether every server answers: Kafka, Milvus and the object store accept connections, the registry reports ready. */
    static boolean answering(StackConfig config) {
        if (!accepting(config.host(), config.kafkaPort()) || !accepting(config.host(), config.milvusPort())
                || !accepting(config.host(), config.s3Port())) {
            return false;
        }
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(config.registryBaseUrl() + "/health/ready"))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean accepting(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Progress on stderr, one line per change, so a slow first start is visible in the build log. */
    private static final class LogProgress implements ProgressListener {
        private final java.util.Map<StackPart, String> last = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void progress(StackPart part, String activity, Duration elapsed) {
            String topic = activity.split(":")[0];
            if (!topic.equals(last.put(part, topic))) {
                System.err.printf("[tessera] %-8s %s (%ds)%n", part.id(), activity, elapsed.toSeconds());
            }
        }

        @Override
        public void ready(StackPart part, boolean alreadyRunning, String summary, Duration elapsed) {
            System.err.printf("[tessera] %-8s %s in %.1fs%n", part.id(), summary, elapsed.toMillis() / 1000.0);
        }
    }
}
