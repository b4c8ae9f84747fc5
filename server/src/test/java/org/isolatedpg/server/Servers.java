package org.isolatedpg.server;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.isolatedpg.server.internal.cli.RunningServer;
import org.isolatedpg.server.internal.config.ServeSettings;

/** Servers for tests: in this JVM, on a free port, on the machine's default embedded cluster unless told otherwise. */
final class Servers {

    private Servers() {}

    /** A server with IntegreSQL's environment {@code environment} (port 0: a free one). */
    static RunningServer start(Map<String, String> environment) {
        Map<String, String> all = new HashMap<>(environment);
        all.putIfAbsent("INTEGRESQL_PORT", "0");
        return RunningServer.start(ServeSettings.from(new Properties(), all));
    }

    /**
     * The hashes a test class made, whose templates it discards at the end: the tests leave none of theirs behind on
     * a cluster the machine's user shares (and never touch the others', nor another class's running at once).
     */
    static final class Hashes {

        private final java.util.Set<String> made = java.util.concurrent.ConcurrentHashMap.newKeySet();

        /** A hash no other run has used. */
        String fresh() {
            String hash = UUID.randomUUID().toString().replace("-", "");
            made.add(hash);
            return hash;
        }

        /** Discards the templates of the hashes made, through a server on the default cluster. */
        void discardAll() {
            if (made.isEmpty()) {
                return;
            }
            try (RunningServer server = start(Map.of())) {
                Api api = new Api(server.url());
                for (String hash : List.copyOf(made)) {
                    int status = api.discard(hash).status();
                    if (status != 204 && status != 404) {
                        throw new AssertionError("Could not discard " + hash + ": " + status);
                    }
                    made.remove(hash);
                }
            }
        }
    }

    /** Runs {@code ddl} in the database the reply of an initialize names, as the client's migration would. */
    static void migrate(Api.Reply initialized, String... statements) throws SQLException {
        try (Connection connection = initialized.connect();
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** The names of the databases on the server of {@code admin} (a reply carrying the admin's credentials). */
    static List<String> databases(Api.Reply admin, String prefix) throws SQLException {
        try (Connection connection = adminConnection(admin);
                PreparedStatement statement =
                        connection.prepareStatement("SELECT datname FROM pg_database WHERE starts_with(datname, ?)")) {
            statement.setString(1, prefix);
            List<String> names = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
            return names;
        }
    }

    /** A connection to the maintenance database as the admin whose credentials an initialize reply carries. */
    static Connection adminConnection(Api.Reply admin) throws SQLException {
        Map<String, Object> config = admin.config();
        Properties login = new Properties();
        login.setProperty("user", (String) config.get("username"));
        login.setProperty("password", (String) config.get("password"));
        return DriverManager.getConnection(
                "jdbc:postgresql://" + config.get("host") + ":" + ((Number) config.get("port")).intValue()
                        + "/postgres",
                login);
    }

    /** Waits until none of {@code names} is a database on the server of {@code admin}. */
    static void awaitDropped(Duration timeout, String what, Api.Reply admin, String... names)
            throws InterruptedException {
        await(timeout, what, () -> {
            try {
                for (String name : names) {
                    if (!databases(admin, name).isEmpty()) {
                        return false;
                    }
                }
                return true;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
