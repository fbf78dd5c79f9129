package io.tessera.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import io.tessera.cli.services.ServiceCatalog;
import io.tessera.cli.services.ServiceDefinition;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TesseraCommandTest {

    @TempDir
    Path home;

    private record Run(int exit, String out, String err) { }

    private static synchronized Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            var cli = TesseraCommand.commandLine();
            cli.setOut(new java.io.PrintWriter(System.out, true));
            cli.setErr(new java.io.PrintWriter(System.err, true));
            int exit = cli.execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void everyCommandOfTheArchitectureIsRegistered() {
        Run r = run("--help");
        assertEquals(0, r.exit());
        for (String command : new String[] {"demo", "stack", "services", "publish", "search", "dataset", "pairs", "bench"}) {
            assertTrue(r.out().lines().anyMatch(l -> l.strip().startsWith(command + " ")), command + " in\n" + r.out());
        }
    }

    @Test
    void servicesStatusListsEveryServiceOfTheCatalogue() {
        Run r = run("services", "status", "--home", home.toString());
        for (ServiceDefinition s : ServiceCatalog.all()) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(s.name() + " ")), s.name() + " in\n" + r.out());
        }
        assertEquals(TesseraCommand.EXIT_NOT_RUNNING, r.exit(), r.out() + r.err());
    }

    @Test
    void servicesUpRefusesToStartWithoutTheStack() throws Exception {
        int[] ports = freePorts(4);
        Run r = run("services", "up", "--no-build", "-e", "A=B", "-e", "C=D", "--home", home.toString(), "--kafka-port", "" + ports[0],
                "--kafka-controller-port", "" + ports[1], "--registry-port", "" + ports[2], "--milvus-port", "" + ports[3]);
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("the local stack is not up: run ./tessera stack up first"), r.err());
    }

    @Test
    void demoRejectsASizeOutsideTheDatasetRange() {
        Run r = run("demo", "--size", "5", "--home", home.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("--size must be 10 to 1000, got 5"), r.err());
    }

    @Test
    void datasetValidatesItsSize() {
        Run r = run("dataset", "--size", "5", "--out", home.resolve("ds").toString());
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("size"), r.err());
    }

    @Test
    void pairsPublishNamesAMissingFile() {
        Run r = run("pairs", "publish", home.resolve("nope.jsonl").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("nope.jsonl is not a file"), r.err());
    }

    @Test
    void pairsPublishNamesTheBadLineOfAPairsFile() throws Exception {
        Path file = home.resolve("pairs.jsonl");
        java.nio.file.Files.writeString(file, "{\"pairId\":\"p1\",\"task\":\"t2i\"}\n");
        Run r = run("pairs", "publish", file.toString());
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("line 1"), r.err());
    }

    @Test
    void publishAndSearchComeFromSearchApi() {
        Run publish = run("publish", "--tenant", "t");
        assertEquals(2, publish.exit());
        assertTrue(publish.err().contains("FILE|DIR"), publish.err());
        Run search = run("search", "--help");
        assertEquals(0, search.exit());
        assertTrue(search.out().contains("--tenant"), search.out());
    }

    @Test
    void benchFindsItsMainClassesOnTheClassPath() throws Exception {
        Path own = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(BenchCommand.Bench.contains(java.util.List.of(own), "io.tessera.bench.embed.EmbedBenchmark"));
        assertTrue(!BenchCommand.Bench.contains(java.util.List.of(own), "io.tessera.nowhere.NoBenchmark"));
    }

    @Test
    void anUnknownBenchmarkIsAUsageError() {
        Run r = run("bench", "fly");
        assertEquals(2, r.exit(), r.out() + r.err());
    }

    @Test
    void statusOfAStackThatNeverRanShowsEveryPartDownAndExitsThree() throws Exception {
        int[] ports = freePorts(4);
        Run r = run("stack", "status", "--home", home.toString(), "--kafka-port", "" + ports[0], "--kafka-controller-port",
                "" + ports[1], "--registry-port", "" + ports[2], "--milvus-port", "" + ports[3]);
        assertEquals(TesseraCommand.EXIT_NOT_RUNNING, r.exit(), r.out() + r.err());
        for (String part : new String[] {"kafka", "registry", "milvus"}) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(part) && l.contains(" down ")), r.out());
        }
        assertTrue(r.out().contains("127.0.0.1:" + ports[0]), r.out());
    }

    @Test
    void statusReportsAPortHeldByAnotherProgram() throws Exception {
        int[] ports = freePorts(4);
        try (ServerSocket squatter = new ServerSocket(ports[2], 50, java.net.InetAddress.getLoopbackAddress())) {
            Run r = run("stack", "status", "--home", home.toString(), "--kafka-port", "" + ports[0], "--kafka-controller-port",
                    "" + ports[1], "--registry-port", "" + ports[2], "--milvus-port", "" + ports[3]);
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("registry") && l.contains("port-taken")), r.out());
        }
    }

    @Test
    void anUnknownPartIsNamedInOneLine() {
        Run r = run("stack", "logs", "zookeeper", "--home", home.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("unknown stack part 'zookeeper'"), r.err());
    }

    private static int[] freePorts(int n) throws Exception {
        int[] ports = new int[n];
        ServerSocket[] sockets = new ServerSocket[n];
        for (int i = 0; i < n; i++) {
            sockets[i] = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            ports[i] = sockets[i].getLocalPort();
        }
        for (ServerSocket s : sockets) {
            s.close();
        }
        return ports;
    }
}
