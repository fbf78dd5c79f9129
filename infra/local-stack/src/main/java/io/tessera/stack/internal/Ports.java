package io.tessera.stack.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

public final class Ports {

    private Ports() { }

    /** Whether something accepts TCP connections on host:port. */
    public static boolean accepting(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether a server could bind host:port now (SO_REUSEADDR, as servers do, so TIME_WAIT does not count). */
    public static boolean free(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(host, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Who listens on the port, as `ss` tells it ("users:((\"java\",pid=12,fd=3))"), when ss is available. */
    public static Optional<String> listener(int port) {
        try {
            Process p = new ProcessBuilder("ss", "-Hltnp", "sport = :" + port).redirectErrorStream(true).start();
            if (!p.waitFor(3, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int users = out.indexOf("users:");
            return users < 0 ? Optional.empty() : Optional.of(out.substring(users).split("\\R")[0].trim());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
