package io.tessera.embedding.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.tessera.embedding.TestModels;
import io.tessera.models.tiny.TinyTestModels;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModelStoreTest {
    private HttpServer server;
    private Path served;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void serveAStore() throws Exception {
        served = TestModels.freshDir("served");
        new LocalModelStore(served).install(TinyTestModels.tiny());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/models/", exchange -> {
            requests.incrementAndGet();
            Path f = served.resolve(exchange.getRequestURI().getPath().substring("/models/".length())).normalize();
            if (!f.startsWith(served) || !Files.isRegularFile(f)) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, Files.size(f));
                try (var out = exchange.getResponseBody()) {
                    Files.copy(f, out);
                }
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/models/");
    }

    private CachingModelStore http(Path cache) {
        return new CachingModelStore(new HttpModelFiles(base(), Set.of("127.0.0.1"), Duration.ofSeconds(5)),
                new LocalModelStore(cache));
    }

    @Test
    void localStoreInstallsListsAndOpensVersions() throws Exception {
        LocalModelStore store = new LocalModelStore(TestModels.freshDir("local"));
        assertEquals(List.of(), store.versions("tessera-tiny"));
        ModelDirectory installed = store.install(TinyTestModels.tiny());
        assertEquals(store.root().resolve("tessera-tiny/1"), installed.root());
        assertEquals(installed.manifest().files(), store.install(TinyTestModels.tiny()).manifest().files(),
                "installing the same bytes again is a no-op");
        ModelDirectory v2 = ModelVersions.derive(installed, 2, Map.of(), TestModels.freshDir("v2").resolve("m"));
        store.install(v2);
        assertEquals(List.of(1, 2), store.versions("tessera-tiny"));
        assertEquals(Optional.of(new ModelRef("tessera-tiny", 2)), store.latest("tessera-tiny"));
        assertTrue(Files.readString(store.root().resolve("tessera-tiny/index.json")).contains("2"));
        ModelStoreException missing = assertThrows(ModelStoreException.class,
                () -> store.open(new ModelRef("tessera-tiny", 9)));
        assertTrue(missing.getMessage().contains("tessera-tiny/9 is not in the store"), missing.getMessage());
        assertFalse(missing.isRetriable());
    }

    @Test
    void servicesThatStartTogetherInstallTheBundledModelAtOnce() throws Exception {
        // The demo and `tessera services up` start six services on an empty store; each installs the default model
        // during start-up. Every one of them must come up with it, whoever wins the rename.
        for (int round = 0; round < 5; round++) {
            LocalModelStore store = new LocalModelStore(TestModels.freshDir("together-" + round));
            int installers = 8;
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(installers);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(installers);
            try {
                List<java.util.concurrent.Future<ModelDirectory>> results = new java.util.ArrayList<>();
                for (int i = 0; i < installers; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return DefaultModels.installBundled(new LocalModelStore(store.root()), DefaultModels.TESSERA_TINY);
                    }));
                }
                for (var result : results) {
                    assertEquals(store.root().resolve("tessera-tiny/1"), result.get().root());
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(List.of(1), store.versions("tessera-tiny"));
            assertTrue(Files.readString(store.root().resolve("tessera-tiny/index.json")).contains("1"));
            try (var leftovers = Files.list(store.root().resolve("tessera-tiny"))) {
                assertEquals(List.of("1", "index.json"), leftovers.map(p -> p.getFileName().toString()).sorted().toList(),
                        "no staging directories or temporary index files are left behind");
            }
        }
    }

    @Test
    void httpStoreDownloadsVerifiesAndCaches() throws Exception {
        CachingModelStore store = http(TestModels.freshDir("cache"));
        assertEquals(List.of(1), store.versions("tessera-tiny"));
        assertEquals(Optional.of(base().resolve("tessera-tiny/1/")), store.locationOf(DefaultModels.TESSERA_TINY));
        ModelDirectory dir = store.open(DefaultModels.TESSERA_TINY);
        assertEquals(TinyTestModels.tiny().manifest().files(), dir.manifest().files());
        int afterFirst = requests.get();
        store.open(DefaultModels.TESSERA_TINY);
        assertEquals(afterFirst, requests.get(), "second open is served from the cache");
    }

    @Test
    void httpStoreRejectsHostsOffTheAllowlistWithoutContactingThem() {
        ModelStoreException e = assertThrows(ModelStoreException.class, () -> new HttpModelFiles(
                URI.create("http://models.example.com/"), Set.of("127.0.0.1"), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("not on the allowlist"), e.getMessage());
        assertThrows(ModelStoreException.class, () -> new HttpModelFiles(URI.create("file:///etc/"),
                Set.of("127.0.0.1"), Duration.ofSeconds(1)));
    }

    @Test
    void tamperedFileOnTheServerFailsTheChecksumAndIsNotCached() throws Exception {
        Path file = served.resolve("tessera-tiny/1/tokenizer.json");
        Files.writeString(file, Files.readString(file).replace("\"circle\"", "\"circlf\""));
        Path cache = TestModels.freshDir("cache");
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> http(cache).open(DefaultModels.TESSERA_TINY));
        assertTrue(e.getMessage().contains("tokenizer.json has sha256"), e.getMessage());
        assertFalse(new LocalModelStore(cache).contains(DefaultModels.TESSERA_TINY));
    }

    @Test
    void unknownVersionIsNotRetriableAndADownServerIs() throws Exception {
        CachingModelStore store = http(TestModels.freshDir("cache"));
        ModelStoreException notFound = assertThrows(ModelStoreException.class,
                () -> store.open(new ModelRef("tessera-tiny", 7)));
        assertFalse(notFound.isRetriable());
        assertTrue(notFound.getMessage().contains("not found"), notFound.getMessage());
        server.stop(0);
        ModelStoreException down = assertThrows(ModelStoreException.class,
                () -> store.open(new ModelRef("tessera-tiny", 1)));
        assertTrue(down.isRetriable(), down.getMessage());
    }

    @Test
    void cachedVersionsKeepOpeningWhileTheStoreIsDown() throws Exception {
        CachingModelStore store = http(TestModels.freshDir("cache"));
        ModelDirectory first = store.open(DefaultModels.TESSERA_TINY);
        server.stop(0);
        assertEquals(first.root(), store.open(DefaultModels.TESSERA_TINY).root(), "served from the cache, no request");
        assertEquals(List.of(1), store.versions("tessera-tiny"), "the cached versions answer while the store is down");
        ModelStoreException unknown = assertThrows(ModelStoreException.class,
                () -> store.open(new ModelRef("tessera-tiny", 2)));
        assertTrue(unknown.isRetriable(), "a version never cached waits for the store: " + unknown.getMessage());
        CachingModelStore empty = http(TestModels.freshDir("empty-cache"));
        assertTrue(assertThrows(ModelStoreException.class, () -> empty.versions("tessera-tiny")).isRetriable(),
                "with nothing cached an unreachable store is a retriable failure, not an empty answer");
    }
}
