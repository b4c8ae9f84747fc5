package org.isolatedpg.server.internal.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.isolatedpg.server.internal.engine.ApiException;
import org.isolatedpg.server.internal.engine.ApiException.Kind;
import org.isolatedpg.server.internal.engine.DatabaseConfig;
import org.isolatedpg.server.internal.engine.Engine;
import org.isolatedpg.server.internal.engine.TemplateView;
import org.isolatedpg.server.internal.engine.TestDatabaseGrant;
import org.isolatedpg.server.internal.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IntegreSQL's v1 HTTP API, on the JDK's own HTTP server (which stays in this package): routes, status codes and
 * bodies as IntegreSQL's clients expect them, plus the template listing and leases. Requests that wait (for a
 * template's build, for a clone) each hold one of {@value #THREADS} threads.
 */
public final class HttpApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

    private static final int THREADS = 64;
    private static final String PREFIX = "/api/v1/";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Engine engine;
    private final byte[] token;

    private HttpApi(HttpServer server, ExecutorService executor, Engine engine, String token) {
        this.server = server;
        this.executor = executor;
        this.engine = engine;
        this.token = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Starts listening on {@code address}.
     *
     * @param token the bearer token every request must carry, or null for none (loopback only: see the caller)
     * @throws IOException when the address cannot be bound
     */
    public static HttpApi start(InetSocketAddress address, Engine engine, String token) throws IOException {
        // Without TCP_NODELAY, a response's headers and body go out in two segments and the second waits for the
        // client's delayed ACK: measured, 50 ms for every request on loopback. Read once, when the server's
        // configuration loads, so it is set before the first server is made (unless the user set it).
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        HttpServer server = HttpServer.create(address, 128);
        ThreadPoolExecutor executor = new ThreadPoolExecutor(
                THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemons("isolatedpg-http-"));
        executor.allowCoreThreadTimeOut(true);
        server.setExecutor(executor);
        HttpApi api = new HttpApi(server, executor, engine, token);
        server.createContext("/", api::handle);
        server.start();
        return api;
    }

    /** The address it listens on, with the port it was given when asked for port 0. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Response response;
            try {
                authorize(exchange);
                response = route(exchange);
            } catch (ApiException e) {
                response = error(e);
            } catch (RuntimeException e) {
                LOG.warn("isolatedpg server - {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                response = error(new ApiException(Kind.FAILED, "Unexpected failure: " + e, null, e));
            }
            send(exchange, response);
        }
    }

    private void authorize(HttpExchange exchange) {
        if (token == null) {
            return;
        }
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        if (given == null || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(
                    Kind.UNAUTHORIZED,
                    "This server needs 'Authorization: Bearer <token>' with the token it was started with"
                            + " (isolatedpg.http.token).");
        }
    }

    private Response route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1); // as IntegreSQL's trailing-slash remover
        }
        if (!path.startsWith(PREFIX)) {
            return notFound(method, path);
        }
        List<String> parts = List.of(path.substring(PREFIX.length()).split("/", -1));
        if (parts.equals(List.of("templates"))) {
            return switch (method) {
                case "POST" -> Response.json(200, initialize(exchange));
                case "GET" -> Response.json(200, listing(engine.templates()));
                default -> notAllowed(method, path);
            };
        }
        if (parts.equals(List.of("admin", "templates"))) {
            if (!method.equals("DELETE")) {
                return notAllowed(method, path);
            }
            engine.reset();
            return Response.NO_CONTENT;
        }
        if (parts.size() < 2 || !parts.get(0).equals("templates")) {
            return notFound(method, path);
        }
        String hash = parts.get(1);
        if (parts.size() == 2) {
            return switch (method) {
                case "PUT" -> {
                    engine.finalizeTemplate(hash);
                    yield Response.NO_CONTENT;
                }
                case "DELETE" -> {
                    engine.discard(hash);
                    yield Response.NO_CONTENT;
                }
                default -> notAllowed(method, path);
            };
        }
        if (!parts.get(2).equals("tests")) {
            return notFound(method, path);
        }
        if (parts.size() == 3) {
            if (!method.equals("GET")) {
                return notAllowed(method, path);
            }
            Duration lease = Leases.parse(query(exchange.getRequestURI()).get("lease"));
            return Response.json(200, testDatabaseBody(engine.testDatabase(hash, lease)));
        }
        int id = id(parts.get(3));
        boolean giveBack = (parts.size() == 4 && method.equals("DELETE"))
                || (parts.size() == 5 && method.equals("POST") && parts.get(4).equals("unlock"))
                || (parts.size() == 5 && method.equals("POST") && parts.get(4).equals("recreate"));
        if (!giveBack) {
            return parts.size() <= 5 ? notAllowed(method, path) : notFound(method, path);
        }
        engine.giveBack(hash, id);
        return Response.NO_CONTENT;
    }

    private Map<String, Object> initialize(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        }
        String hash;
        try {
            hash = Json.stringMember(body.isBlank() ? "{}" : body, "hash").orElse("");
        } catch (IllegalArgumentException e) {
            throw new ApiException(Kind.BAD_REQUEST, "Send {\"hash\": \"<hash>\"}: " + e.getMessage());
        }
        return Map.of("database", databaseBody(hash, engine.initialize(hash)));
    }

    private static int id(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new ApiException(Kind.BAD_REQUEST, "invalid test database id '" + text + "': a whole number");
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> parameters = new LinkedHashMap<>();
        String raw = uri.getQuery();
        if (raw == null || raw.isEmpty()) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            parameters.put(equals < 0 ? pair : pair.substring(0, equals), equals < 0 ? "" : pair.substring(equals + 1));
        }
        return parameters;
    }

    private static Map<String, Object> testDatabaseBody(TestDatabaseGrant grant) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", grant.id());
        body.put("database", databaseBody(grant.templateHash(), grant.config()));
        return body;
    }

    private static Map<String, Object> databaseBody(String hash, DatabaseConfig config) {
        Map<String, Object> connection = new LinkedHashMap<>();
        connection.put("host", config.host());
        connection.put("port", config.port());
        connection.put("username", config.username());
        connection.put("password", config.password());
        connection.put("database", config.database());
        Map<String, Object> database = new LinkedHashMap<>();
        database.put("templateHash", hash);
        database.put("config", connection);
        return database;
    }

    private static List<Map<String, Object>> listing(List<TemplateView> templates) {
        return templates.stream()
                .map(view -> {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("hash", view.hash());
                    entry.put("database", view.database());
                    entry.put("state", view.state());
                    entry.put("sizeBytes", view.sizeBytes());
                    entry.put(
                            "created",
                            view.created() == null ? null : view.created().toString());
                    entry.put(
                            "lastUsed",
                            view.lastUsed() == null ? null : view.lastUsed().toString());
                    entry.put("tests", view.tests());
                    return entry;
                })
                .toList();
    }

    private static Response error(ApiException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", e.getMessage());
        if (e.state() != null) {
            body.put("pool", e.state());
        }
        return Response.json(e.kind().status(), body);
    }

    private static Response notFound(String method, String path) {
        return error(new ApiException(Kind.NOT_FOUND, "No route " + method + " " + path));
    }

    private static Response notAllowed(String method, String path) {
        return Response.json(405, Map.of("message", "Method " + method + " is not allowed on " + path));
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        if (response.body() == null) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(response.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A status and a JSON body, or none. */
    private record Response(int status, String body) {

        static final Response NO_CONTENT = new Response(204, null);

        static Response json(int status, Object body) {
            return new Response(status, Json.write(body));
        }
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Stops listening, giving requests in progress a second to finish. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }
}
