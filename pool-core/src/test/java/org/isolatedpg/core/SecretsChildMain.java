package org.isolatedpg.core;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The JVM {@link SecretsTests} reads: with the configuration given as {@code key=value} arguments and every logger at
 * its most talkative (SLF4J's by system properties, the JDBC driver's here), it does what a test run does — attaches
 * to the server, fails a template build, leases a clone, uses and releases it, fails to reach a closed port — and
 * prints every description, URL and message on the way. The parent greps all of it for the secrets.
 */
public final class SecretsChildMain {

    /** The JDBC driver logs through java.util.logging; held here so that its level is not garbage-collected. */
    private static final Logger DRIVER_LOG = Logger.getLogger("org.postgresql");

    private SecretsChildMain() {}

    public static void main(String[] args) throws Exception {
        ConsoleHandler handler = new ConsoleHandler();
        handler.setLevel(Level.ALL);
        DRIVER_LOG.setLevel(Level.FINEST);
        DRIVER_LOG.addHandler(handler);

        Map<String, String> values = new LinkedHashMap<>();
        for (String arg : args) {
            values.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        Configuration configuration = Configuration.from(List.of(ConfigSource.of("child arguments", values)));
        ServerSettings settings = configuration.serverSettings();
        TemplateSpec spec = configuration.templateSpec();
        PoolSettings poolSettings = configuration.poolSettings();
        report("SETTINGS " + settings);
        report("SPEC " + spec);
        values.keySet().forEach(key -> report("RAW " + configuration.raw(key).orElseThrow()));

        try (PostgresServer server = PostgresServer.start(settings)) {
            report("SERVER " + server + " " + server.description() + " " + server.jdbcUrl("postgres"));
            TemplateSpec broken = TemplateSpec.builder()
                    .flyway(List.of("classpath:db/broken"))
                    .flywayPlaceholders(spec.flywayPlaceholders())
                    .origin(ConfigKeys.FLYWAY_LOCATIONS, "child")
                    .build();
            report("BROKEN " + broken);
            try (TestDatabasePool pool = TestDatabasePool.open(server, broken, poolSettings)) {
                report("UNEXPECTED the broken template was built: " + pool);
            } catch (RuntimeException e) {
                report("BUILD-FAILED " + messages(e));
                e.printStackTrace(System.out);
            }
            String password;
            try (TestDatabasePool pool = TestDatabasePool.open(server, spec, poolSettings)) {
                TestDatabase db = pool.lease();
                password = db.password();
                report("TEMPLATE " + pool.templateName());
                report("LEASED " + db + " " + db.name() + " " + db.jdbcUrl() + " " + db.username());
                try (Connection connection = db.dataSource().getConnection();
                        Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("SELECT count(*) FROM item")) {
                    rows.next();
                    report("ITEMS " + rows.getInt(1));
                }
                report("SNAPSHOT " + pool.snapshot());
                report("RELEASED " + db.release());
                report("STATISTICS " + pool.statistics() + " "
                        + pool.statistics().summary());
            }
            unreachable(password);
        }
        report("DONE");
    }

    /** A server on a closed port, named by a URL that holds the password: its failure is printed. */
    private static void unreachable(String password) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Configuration configuration = Configuration.from(List.of(ConfigSource.of(
                "child's unreachable server",
                Map.of(
                        ConfigKeys.SERVER_MODE,
                        "external",
                        ConfigKeys.SERVER_URL,
                        "jdbc:postgresql://127.0.0.1:" + closedPort + "/postgres?password="
                                + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&sslmode=disable",
                        ConfigKeys.SERVER_USER,
                        "postgres"))));
        report("UNREACHABLE-SETTINGS " + configuration.serverSettings());
        try (PostgresServer server = PostgresServer.start(configuration.serverSettings())) {
            report("UNEXPECTED a closed port answered: " + server);
        } catch (RuntimeException e) {
            report("CONNECT-FAILED " + messages(e));
            e.printStackTrace(System.out);
        }
    }

    /** Every message of a failure and its causes, as a test report shows them. */
    static String messages(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t).append('\n');
        }
        return text.toString();
    }

    private static void report(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
