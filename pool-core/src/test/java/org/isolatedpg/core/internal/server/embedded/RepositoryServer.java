package org.isolatedpg.core.internal.server.embedded;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Maven repository (or an HTTP proxy in front of one: it answers requests in absolute form too) on the loopback
 * interface, for tests: serves files by path, can demand Basic credentials or redirect, and records what it was asked.
 */
final class RepositoryServer implements AutoCloseable {

    /** One request: its target as sent (a path, or a whole URL when sent to a proxy) and its Authorization header. */
    record Request(String target, String authorization) {}

    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, String> redirects = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile String authorization;

    private RepositoryServer(HttpServer server) {
        this.server = server;
    }

    static RepositoryServer start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        RepositoryServer repository = new RepositoryServer(server);
        server.createContext("/", repository::handle);
        server.start();
        return repository;
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    String url(String path) {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":"
                + server.getAddress().getPort() + path;
    }

    RepositoryServer serve(String path, byte[] bytes) {
        files.put(path, bytes);
        return this;
    }

    RepositoryServer redirect(String path, String location) {
        redirects.put(path, location);
        return this;
    }

    RepositoryServer requireCredentials(String user, String password) {
        authorization =
                "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return this;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String sent = exchange.getRequestHeaders().getFirst("Authorization");
            requests.add(new Request(exchange.getRequestURI().toString(), sent));
            String path = exchange.getRequestURI().getRawPath();
            if (authorization != null && !authorization.equals(sent)) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"test\"");
                exchange.sendResponseHeaders(401, -1);
            } else if (redirects.containsKey(path)) {
                exchange.getResponseHeaders().add("Location", redirects.get(path));
                exchange.sendResponseHeaders(302, -1);
            } else if (files.containsKey(path)) {
                byte[] bytes = files.get(path);
                exchange.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
