package io.tessera.search.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for media-catalog's {@code GET /v1/media/{mediaId}?tenant=} (another service, tested on its own): the
 * proxy's contract is what is tested here. One item, {@value #LEAKY}, answers with another tenant's status whatever
 * tenant is asked for, as a broken catalog would: search-api must not pass it on.
 */
final class CatalogStub implements AutoCloseable {

    static final String LEAKY = "leaky-item";

    private final HttpServer server;
    private final Map<String, String> tenantByItem = new ConcurrentHashMap<>();
    final Map<String, String> lastTenantAsked = new ConcurrentHashMap<>();

    CatalogStub(Map<String, String> tenantByItem) throws IOException {
        this.tenantByItem.putAll(tenantByItem);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/media/", exchange -> {
            String id = URLDecoder.decode(exchange.getRequestURI().getRawPath().substring("/v1/media/".length()),
                    StandardCharsets.UTF_8);
            String query = exchange.getRequestURI().getRawQuery();
            String tenant = query != null && query.startsWith("tenant=")
                    ? URLDecoder.decode(query.substring(7), StandardCharsets.UTF_8) : "";
            lastTenantAsked.put(id, tenant);
            String owner = id.equals(LEAKY) ? Corpus.GLOBEX : tenantByItem.get(id);
            byte[] body;
            int status;
            if (owner != null && (owner.equals(tenant) || id.equals(LEAKY))) {
                status = 200;
                body = ("{\"mediaId\":\"" + id + "\",\"tenant\":\"" + owner + "\",\"status\":\"INDEXED\","
                        + "\"modelName\":\"tessera-tiny\",\"modelVersion\":1}").getBytes(StandardCharsets.UTF_8);
            } else {
                status = 404;
                body = "{\"error\":\"not found\"}".getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
