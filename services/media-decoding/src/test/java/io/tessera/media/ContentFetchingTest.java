package io.tessera.media;

import static io.tessera.media.TestMedia.assertRejected;
import static io.tessera.media.TestMedia.assertTransient;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tessera.media.internal.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentFetchingTest {

    @Nested
    class Inline {
        private final MediaDecoder decoder = new MediaDecoder(FetchConfig.builder().maxBytes(100).build());

        @Test
        void bytesOverTheLimitAreTooLarge() {
            assertRejected(RejectReason.TOO_LARGE, () -> decoder.fetch(MediaSource.bytes(new byte[101])));
        }

        @Test
        void noBytesAreEmpty() {
            assertRejected(RejectReason.EMPTY, () -> decoder.fetch(MediaSource.bytes(new byte[0])));
        }

        @Test
        void bytesWithinTheLimitComeBackWithTheirSha256() throws Exception {
            FetchedContent content = decoder.fetch(MediaSource.bytes(new byte[] {1, 2, 3}));

            assertEquals(Sha256.hex(new byte[] {1, 2, 3}), content.sha256());
            assertEquals("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81", content.sha256());
        }

        @Test
        void unknownSchemeIsNotAllowed() {
            assertRejected(RejectReason.URI_NOT_ALLOWED, () -> decoder.fetch(MediaSource.reference("ftp://h/x")));
            assertRejected(RejectReason.URI_NOT_ALLOWED, () -> decoder.fetch(MediaSource.reference("jar:file:/x!/y")));
        }

        @Test
        void malformedReferencesAreInvalid() {
            assertRejected(RejectReason.INVALID_REFERENCE, () -> decoder.fetch(MediaSource.reference("not a uri")));
            assertRejected(RejectReason.INVALID_REFERENCE, () -> decoder.fetch(MediaSource.reference("/no/scheme")));
            assertRejected(RejectReason.INVALID_REFERENCE,
                    () -> decoder.fetch(MediaSource.reference("file:///x", null, "abc")));
        }

        @Test
        void declaredSizeOverTheLimitIsRejectedBeforeFetching() {
            assertRejected(RejectReason.TOO_LARGE,
                    () -> decoder.fetch(MediaSource.reference("http://127.0.0.1:1/x", 101L, null)));
        }
    }

    @Nested
    class Files_ {
        @TempDir
        Path root;
        @TempDir
        Path outside;

        private MediaDecoder decoder() {
            return new MediaDecoder(FetchConfig.builder().fileRoot(root).maxBytes(1000).build());
        }

        @Test
        void fileUnderARootIsRead() throws Exception {
            Path file = Files.write(root.resolve("a.bin"), new byte[] {9, 8, 7});

            FetchedContent content = decoder().fetch(MediaSource.reference(file.toUri().toString()));

            assertArrayEquals(new byte[] {9, 8, 7}, content.bytes());
        }

        @Test
        void fileOutsideTheRootsIsRefused() throws Exception {
            Path file = Files.write(outside.resolve("secret"), new byte[] {1});

            assertRejected(RejectReason.FILE_OUTSIDE_ROOTS, () -> decoder().fetch(MediaSource.reference(file.toUri()
                    .toString())));
            assertRejected(RejectReason.FILE_OUTSIDE_ROOTS,
                    () -> decoder().fetch(MediaSource.reference("file:///etc/passwd")));
        }

        @Test
        void symlinkUnderARootPointingOutsideIsRefused() throws Exception {
            Path secret = Files.write(outside.resolve("secret"), new byte[] {1});
            Path link = Files.createSymbolicLink(root.resolve("innocent.jpg"), secret);
            Path dirLink = Files.createSymbolicLink(root.resolve("dir"), outside);

            assertRejected(RejectReason.FILE_OUTSIDE_ROOTS,
                    () -> decoder().fetch(MediaSource.reference(link.toUri().toString())));
            assertRejected(RejectReason.FILE_OUTSIDE_ROOTS,
                    () -> decoder().fetch(MediaSource.reference(dirLink.toUri() + "secret")));
        }

        @Test
        void symlinkStayingUnderTheRootIsFollowed() throws Exception {
            Path target = Files.write(root.resolve("real.bin"), new byte[] {4});
            Path link = Files.createSymbolicLink(root.resolve("alias.bin"), target);

            assertArrayEquals(new byte[] {4}, decoder().fetch(MediaSource.reference(link.toUri().toString())).bytes());
        }

        @Test
        void dotDotIsRefusedEvenWhenItWouldLandUnderTheRoot() throws Exception {
            Files.createDirectories(root.resolve("sub"));
            Files.write(root.resolve("a.bin"), new byte[] {1});
            String uri = "file://" + root + "/sub/../a.bin";

            assertRejected(RejectReason.FILE_OUTSIDE_ROOTS, () -> decoder().fetch(MediaSource.reference(uri)));
            String escape = "file://" + root + "/../" + outside.getFileName() + "/x";
            assertRejected(RejectReason.FILE_OUTSIDE_ROOTS, () -> decoder().fetch(MediaSource.reference(escape)));
        }

        @Test
        void missingFileUnderARootIsNotFound() {
            assertRejected(RejectReason.NOT_FOUND,
                    () -> decoder().fetch(MediaSource.reference(root.resolve("nope").toUri().toString())));
        }

        @Test
        void fileLargerThanTheLimitIsTooLarge() throws Exception {
            Path file = Files.write(root.resolve("big"), new byte[1001]);

            assertRejected(RejectReason.TOO_LARGE, () -> decoder().fetch(MediaSource.reference(file.toUri()
                    .toString())));
        }

        @Test
        void checksumAndDeclaredSizeAreChecked() throws Exception {
            byte[] bytes = "content".getBytes(StandardCharsets.UTF_8);
            String uri = Files.write(root.resolve("c.txt"), bytes).toUri().toString();
            String sha = Sha256.hex(bytes);

            assertEquals(sha, decoder().fetch(MediaSource.reference(uri, 7L, sha.toUpperCase())).sha256());
            assertRejected(RejectReason.CHECKSUM_MISMATCH,
                    () -> decoder().fetch(MediaSource.reference(uri, null, Sha256.hex(new byte[] {0}))));
            assertRejected(RejectReason.SIZE_MISMATCH, () -> decoder().fetch(MediaSource.reference(uri, 8L, null)));
        }

        @Test
        void aDirectoryIsNotContent() {
            assertRejected(RejectReason.INVALID_REFERENCE,
                    () -> decoder().fetch(MediaSource.reference(root.toUri().toString())));
        }

        @Test
        void fileUriWithAHostIsInvalid() {
            assertRejected(RejectReason.INVALID_REFERENCE,
                    () -> decoder().fetch(MediaSource.reference("file://otherhost" + root + "/a")));
        }

        @Test
        void withoutRootsNoFileIsAllowed() throws Exception {
            Path file = Files.write(root.resolve("a.bin"), new byte[] {1});
            MediaDecoder noRoots = new MediaDecoder(FetchConfig.defaults());

            assertRejected(RejectReason.FILE_OUTSIDE_ROOTS,
                    () -> noRoots.fetch(MediaSource.reference(file.toUri().toString())));
        }

        @Test
        void missingRootFailsAtConstruction() {
            FetchConfig config = FetchConfig.builder().fileRoot(root.resolve("missing")).build();

            assertThrows(UncheckedIOException.class, () -> new MediaDecoder(config));
        }
    }

    @Nested
    class Http {
        private static HttpServer server;
        private static ExecutorService executor;
        private static final CountDownLatch RELEASE = new CountDownLatch(1);
        private static final AtomicInteger HITS_ON_OK = new AtomicInteger();
        private static String base;

        @BeforeAll
        static void startServer() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            executor = Executors.newFixedThreadPool(8);
            server.setExecutor(executor);
            int port = server.getAddress().getPort();
            base = "http://127.0.0.1:" + port;
            server.createContext("/ok", ex -> {
                HITS_ON_OK.incrementAndGet();
                ex.getResponseHeaders().add("Content-Type", "image/png");
                send(ex, 200, "hello".getBytes(StandardCharsets.UTF_8));
            });
            server.createContext("/declared-big", ex -> {
                ex.sendResponseHeaders(200, 5000);
                writeUntilClosed(ex, 5000);
            });
            server.createContext("/chunked-big", ex -> {
                ex.sendResponseHeaders(200, 0); // chunked: no length to check up front
                writeUntilClosed(ex, 1_000_000);
            });
            server.createContext("/slow-body", ex -> {
                ex.sendResponseHeaders(200, 0);
                ex.getResponseBody().write(new byte[10]);
                ex.getResponseBody().flush();
                await();
                ex.close();
            });
            server.createContext("/slow-headers", ex -> {
                await();
                ex.close();
            });
            server.createContext("/status/", ex -> {
                int status = Integer.parseInt(ex.getRequestURI().getPath().substring("/status/".length()));
                send(ex, status, new byte[0]);
            });
            server.createContext("/redirect-same", ex -> redirect(ex, "/ok"));
            server.createContext("/redirect-other", ex -> redirect(ex, "http://localhost:" + port + "/ok"));
            server.createContext("/redirect-scheme", ex -> redirect(ex, "file:///etc/passwd"));
            server.createContext("/loop", ex -> redirect(ex, "/loop"));
            server.start();
        }

        @AfterAll
        static void stopServer() {
            RELEASE.countDown();
            server.stop(0);
            executor.shutdownNow();
        }

        private static void await() {
            try {
                RELEASE.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }

        private static void redirect(HttpExchange ex, String location) throws IOException {
            ex.getResponseHeaders().add("Location", location);
            send(ex, 302, new byte[0]);
        }

        private static void writeUntilClosed(HttpExchange ex, int total) {
            try (OutputStream out = ex.getResponseBody()) {
                byte[] chunk = new byte[1000];
                for (int sent = 0; sent < total; sent += chunk.length) {
                    out.write(chunk);
                }
            } catch (IOException expected) {
                // the client hung up once it had seen enough
            }
        }

        /** Generous timeouts: the machine running the tests may be busy, and only the timeout tests need short ones. */
        private MediaDecoder decoder() {
            return new MediaDecoder(FetchConfig.builder().allowHost("127.0.0.1").maxBytes(1000)
                    .requestTimeout(Duration.ofSeconds(10)).connectTimeout(Duration.ofSeconds(5)).build());
        }

        private MediaDecoder impatientDecoder() {
            return new MediaDecoder(FetchConfig.builder().allowHost("127.0.0.1").maxBytes(1000)
                    .requestTimeout(Duration.ofMillis(1500)).connectTimeout(Duration.ofSeconds(1)).build());
        }

        @Test
        void allowlistedHostIsFetchedWithItsContentType() throws Exception {
            FetchedContent content = decoder().fetch(MediaSource.reference(base + "/ok", 5L,
                    Sha256.hex("hello".getBytes(StandardCharsets.UTF_8))));

            assertEquals("hello", new String(content.bytes(), StandardCharsets.UTF_8));
            assertEquals("image/png", content.contentType().orElseThrow());
        }

        @Test
        void hostNotOnTheAllowlistIsNeverContacted() {
            int before = HITS_ON_OK.get();
            String sameServerOtherName = base.replace("127.0.0.1", "localhost") + "/ok";

            assertRejected(RejectReason.URI_NOT_ALLOWED, () -> decoder().fetch(MediaSource.reference(
                    sameServerOtherName)));
            assertRejected(RejectReason.URI_NOT_ALLOWED,
                    () -> decoder().fetch(MediaSource.reference("http://169.254.169.254/latest/meta-data")));
            assertEquals(before, HITS_ON_OK.get());
        }

        @Test
        void hostPortEntryAllowsOnlyThatPort() throws Exception {
            int port = server.getAddress().getPort();
            MediaDecoder pinned = new MediaDecoder(FetchConfig.builder().allowHost("127.0.0.1:" + port).build());
            MediaDecoder otherPort = new MediaDecoder(FetchConfig.builder().allowHost("127.0.0.1:" + (port + 1))
                    .build());

            assertEquals(5, pinned.fetch(MediaSource.reference(base + "/ok")).sizeBytes());
            assertRejected(RejectReason.URI_NOT_ALLOWED, () -> otherPort.fetch(MediaSource.reference(base + "/ok")));
        }

        @Test
        void disallowedSchemeIsRefused() {
            MediaDecoder httpsOnly = new MediaDecoder(FetchConfig.builder().allowHost("127.0.0.1")
                    .allowedSchemes(java.util.Set.of("https")).build());

            assertRejected(RejectReason.URI_NOT_ALLOWED, () -> httpsOnly.fetch(MediaSource.reference(base + "/ok")));
        }

        @Test
        void declaredContentLengthOverTheLimitIsTooLarge() {
            assertRejected(RejectReason.TOO_LARGE, () -> decoder().fetch(MediaSource.reference(base + "/declared-big")));
        }

        @Test
        void streamedBodyOverTheLimitIsCutOffAsTooLarge() {
            MediaRejectedException e = assertTimeoutPreemptively(Duration.ofSeconds(8), () -> assertRejected(
                    RejectReason.TOO_LARGE, () -> decoder().fetch(MediaSource.reference(base + "/chunked-big"))));

            assertTrue(e.getMessage().contains("1000"), e.getMessage());
        }

        @Test
        void slowBodyTimesOutAsTransient() {
            assertTimeoutPreemptively(Duration.ofSeconds(8), () -> assertTransient(TransientReason.TIMEOUT,
                    () -> impatientDecoder().fetch(MediaSource.reference(base + "/slow-body"))));
        }

        @Test
        void serverThatNeverAnswersTimesOutAsTransient() {
            assertTimeoutPreemptively(Duration.ofSeconds(8), () -> assertTransient(TransientReason.TIMEOUT,
                    () -> impatientDecoder().fetch(MediaSource.reference(base + "/slow-headers"))));
        }

        @Test
        void statusCodesMapToPermanentOrTransient() {
            assertTransient(TransientReason.SERVER_ERROR, () -> decoder().fetch(MediaSource.reference(base
                    + "/status/503")));
            assertTransient(TransientReason.SERVER_ERROR, () -> decoder().fetch(MediaSource.reference(base
                    + "/status/429")));
            assertRejected(RejectReason.NOT_FOUND, () -> decoder().fetch(MediaSource.reference(base + "/status/404")));
            assertRejected(RejectReason.ACCESS_DENIED,
                    () -> decoder().fetch(MediaSource.reference(base + "/status/403")));
            assertRejected(RejectReason.HTTP_STATUS, () -> decoder().fetch(MediaSource.reference(base
                    + "/status/400")));
        }

        @Test
        void redirectOnTheAllowedHostIsFollowed() throws Exception {
            assertEquals("hello", new String(decoder().fetch(MediaSource.reference(base + "/redirect-same")).bytes(),
                    StandardCharsets.UTF_8));
        }

        @Test
        void redirectToAnotherHostOrSchemeIsRefused() {
            assertRejected(RejectReason.URI_NOT_ALLOWED,
                    () -> decoder().fetch(MediaSource.reference(base + "/redirect-other")));
            assertRejected(RejectReason.URI_NOT_ALLOWED,
                    () -> decoder().fetch(MediaSource.reference(base + "/redirect-scheme")));
        }

        @Test
        void redirectLoopStops() {
            assertRejected(RejectReason.HTTP_STATUS, () -> decoder().fetch(MediaSource.reference(base + "/loop")));
        }

        @Test
        void checksumMismatchOverHttpIsRejected() {
            assertRejected(RejectReason.CHECKSUM_MISMATCH, () -> decoder().fetch(MediaSource.reference(base + "/ok",
                    null, Sha256.hex(new byte[] {1}))));
        }

        @Test
        void refusedConnectionIsTransient() throws Exception {
            int closedPort;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                closedPort = socket.getLocalPort();
            }
            int port = closedPort;

            assertTransient(TransientReason.CONNECTION_FAILED,
                    () -> decoder().fetch(MediaSource.reference("http://127.0.0.1:" + port + "/x")));
        }
    }
}
