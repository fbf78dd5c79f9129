package io.tessera.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
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
    void demoSaysItIsNotAvailableYetAndFails() {
        Run r = run("demo");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("not available yet (issue 8)"), r.err());
    }

    @Test
    void servicesSayClearlyThatNoneExistYet() {
        for (String sub : new String[] {"up", "down", "status"}) {
            Run r = run("services", sub);
            assertEquals(0, r.exit(), sub);
            assertTrue(r.out().contains("No Tessera services exist yet"), r.out());
        }
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
