package org.isolatedpg.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server as its users run it: {@code java -jar isolated-postgres-server-…-all.jar serve} in a process of its own,
 * and clients asking it over HTTP for test databases, 8 at once, as IntegreSQL's published figures were taken (a CI
 * suite's test runner). The latency of {@code GET /api/v1/templates/:hash/tests}, beside the same clients' round trip
 * of a request that does nothing (an unknown route): what HTTP itself costs here.
 */
final class ServerLatency {

    static final int CLIENTS = 8;

    /** Latencies of one kind of request, over all clients, in nanoseconds. */
    record Result(List<Long> testDatabase, List<Long> noOp, int tests, double seconds) {}

    private static final Pattern FIELD = Pattern.compile("\"(host|port|username|password|database|id)\":\"?([^\",}]*)");

    private final Path jar;
    private final Path dataDirectory;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ServerLatency(Path jar, Path dataDirectory) {
        this.jar = jar;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Runs {@code testsPerClient} tests in each of {@link #CLIENTS} clients: a test takes a database, connects, writes
     * and reads, disconnects and gives it back ({@code recreate} for a writer, {@code unlock} for a reader).
     *
     * @param readOnly whether the tests only read (their databases go back as they are)
     * @param work how long each test works on its database besides its statements (simulated)
     */
    Result measure(int testsPerClient, boolean readOnly, Duration work) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        jar.toString(),
                        "serve")
                .redirectErrorStream(true);
        builder.environment().put("INTEGRESQL_PORT", Integer.toString(port));
        builder.environment().put("INTEGRESQL_TEST_MAX_POOL_SIZE", "64");
        builder.environment().put("ISOLATEDPG_EMBEDDED_DATA_DIRECTORY", dataDirectory.toString());
        Process server = builder.start();
        try {
            awaitListening(server);
            String base = "http://127.0.0.1:" + port + "/api/v1";
            String hash = "benchmark-" + System.nanoTime();
            Map<String, String> admin = fields(send("POST", base + "/templates", "{\"hash\":\"" + hash + "\"}", 200));
            try (Connection connection = connect(admin);
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE item (id serial PRIMARY KEY, name text NOT NULL)");
                statement.execute("INSERT INTO item (name) VALUES ('first'), ('second')");
            }
            send("PUT", base + "/templates/" + hash, null, 204);
            send("GET", base + "/templates/" + hash + "/tests", null, 200); // the pool warms up
            Thread.sleep(1000);

            List<Long> testDatabase = Collections.synchronizedList(new ArrayList<>());
            List<Long> noOp = Collections.synchronizedList(new ArrayList<>());
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            long started = System.nanoTime();
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    running.add(clients.submit(() -> {
                        for (int i = 0; i < testsPerClient; i++) {
                            long before = System.nanoTime();
                            send("GET", base + "/templates/unknown-route/nothing", null, 404);
                            noOp.add(System.nanoTime() - before);
                            before = System.nanoTime();
                            Map<String, String> test =
                                    fields(send("GET", base + "/templates/" + hash + "/tests", null, 200));
                            testDatabase.add(System.nanoTime() - before);
                            try (Connection connection = connect(test);
                                    Statement statement = connection.createStatement()) {
                                if (!readOnly) {
                                    statement.execute("INSERT INTO item (name) VALUES ('test')");
                                }
                                statement.execute("SELECT count(*) FROM item");
                                Thread.sleep(work.toMillis());
                            }
                            send(
                                    "POST",
                                    base + "/templates/" + hash + "/tests/" + test.get("id")
                                            + (readOnly ? "/unlock" : "/recreate"),
                                    null,
                                    204);
                        }
                        return null;
                    }));
                }
                for (Future<?> client : running) {
                    client.get(10, TimeUnit.MINUTES);
                }
            } finally {
                clients.shutdownNow();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            send("DELETE", base + "/templates/" + hash, null, 204);
            return new Result(testDatabase, noOp, CLIENTS * testsPerClient, seconds);
        } finally {
            server.toHandle().destroy(); // SIGTERM: it drops its test databases and stops its PostgreSQL
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private static void awaitListening(Process server) throws IOException {
        BufferedReader lines =
                new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            seen.append(line).append('\n');
            if (line.contains("listening on")) {
                Thread drain = new Thread(() -> lines.lines().forEach(ignored -> {}), "server-output");
                drain.setDaemon(true);
                drain.start();
                return;
            }
        }
        throw new IllegalStateException("The server exited before it listened:\n" + seen);
    }

    private String send(String method, String url, String body, int expected) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(90))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(
                    method + " " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** The flat fields of a reply (its config's, and the id); enough JSON for these replies. */
    private static Map<String, String> fields(String json) {
        Map<String, String> fields = new java.util.HashMap<>();
        Matcher matcher = FIELD.matcher(json);
        while (matcher.find()) {
            fields.put(matcher.group(1), matcher.group(2));
        }
        return fields;
    }

    private static Connection connect(Map<String, String> config) throws Exception {
        return DriverManager.getConnection(
                "jdbc:postgresql://" + config.get("host") + ":" + config.get("port") + "/" + config.get("database"),
                config.get("username"),
                config.get("password"));
    }
}
