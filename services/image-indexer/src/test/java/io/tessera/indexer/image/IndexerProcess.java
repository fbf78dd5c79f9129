package io.tessera.indexer.image;

import io.tessera.embedding.model.DefaultModels;
import io.tessera.embedding.model.LocalModelStore;
import io.tessera.testing.StackEndpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The built image-indexer (target/quarkus-app) as a child process, the way ./tessera services up runs it. */
final class IndexerProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    private final StackEndpoints stack;
    private final String topicPrefix;
    private final String collectionPrefix;
    private final int port;
    private Process process;
    private int starts;

    IndexerProcess(StackEndpoints stack, String topicPrefix, String collectionPrefix) {
        this.stack = stack;
        this.topicPrefix = topicPrefix;
        this.collectionPrefix = collectionPrefix;
        this.port = freePort();
    }

    /** Starts the service and waits until /q/health/ready says UP. */
    void start(Duration timeout) throws IOException, InterruptedException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: the package phase builds it");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dai.djl.offline=true", "-jar", JAR.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrap());
        env.put("TESSERA_REGISTRY_URL", stack.registryUrl());
        env.put("TESSERA_REGISTRY_AUTO_REGISTER", "true");
        env.put("TESSERA_MILVUS_URI", stack.milvusUri());
        env.put("TESSERA_MILVUS_COLLECTION_PREFIX", collectionPrefix);
        env.put("TESSERA_MILVUS_INDEX_TYPE", "FLAT");
        env.put("TESSERA_TOPICS_PREFIX", topicPrefix);
        // The crash test counts rows in tessera-tiny's collection: a fast model keeps 500 items quick.
        env.put("TESSERA_MODEL_NAME", "tessera-tiny");
        env.put("TESSERA_MODEL_VERSION", "1");
        // The service's jar bundles no tessera-tiny (only tests have that jar): install it from this test's class
        // path into a store under target/ and point the child at that store, as ServiceRunner does.
        env.put("TESSERA_MODELS_DIR", modelStore().toString());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("ORT_DISABLE_TELEMETRY", "1");
        env.put("OPT_OUT_TRACKING", "true");
        starts++;
        Path log = log();
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        process = pb.start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("image-indexer exited with " + process.exitValue() + ": see " + log);
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/q/health/ready")).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("image-indexer not ready in " + timeout + ": see " + log);
    }

    /** A model store under target/ holding tessera-tiny, installed from the test class path (the tessera-tiny jar). */
    private static synchronized Path modelStore() {
        Path store = Path.of("target", "it-models").toAbsolutePath();
        DefaultModels.installBundled(new LocalModelStore(store), DefaultModels.TESSERA_TINY);
        return store;
    }

    /** The log of the latest start. */
    Path log() {
        return Path.of("target", "image-indexer-it-" + topicPrefix + starts + ".log");
    }

    /** kill -9: no shutdown hook runs, nothing is committed or flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
