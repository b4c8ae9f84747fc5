package org.isolatedpg.core;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.isolatedpg.core.internal.sql.OwnerSession;

/**
 * A test's own admin access to a server, outside any attachment (so it runs no janitor and holds no lock): to look at
 * what isolated-postgres did, and to do to the server what a DBA, another tool or a crash would.
 */
final class Admin {

    private final PostgresServer server;
    private final String user;
    private final String password;

    private Admin(PostgresServer server, String user, String password) {
        this.server = server;
        this.user = user;
        this.password = password;
    }

    /** Admin access to the server the pool is on, with the server's admin role. */
    static Admin of(PostgresServer server, TestDatabasePool pool) {
        return of(server);
    }

    /** Admin access to the server a lease is on, with the server's admin role (a lease's own may be restricted). */
    static Admin of(PostgresServer server, TestDatabase lease) {
        return of(server);
    }

    /** Admin access with the server's admin role, which tests connect as only under {@code admin} privileges. */
    static Admin of(PostgresServer server) {
        return new Admin(
                server,
                server.attachment().server().user(),
                server.attachment().server().password());
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl("postgres"), user, password);
    }

    /** A connection to {@code database} with the admin role. */
    Connection connectTo(String database) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(database), user, password);
    }

    void execute(String sql) throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Connects to a sealed template the only way one can: unseal it, connect, and seal it again. */
    Connection intrudeOn(String template) throws SQLException {
        execute("ALTER DATABASE " + template + " WITH ALLOW_CONNECTIONS true");
        try {
            return DriverManager.getConnection(server.jdbcUrl(template), user, password);
        } finally {
            execute("ALTER DATABASE " + template + " WITH ALLOW_CONNECTIONS false");
        }
    }

    List<String> databases() throws SQLException {
        return strings("SELECT datname FROM pg_database WHERE starts_with(datname, 'ipg_') ORDER BY 1");
    }

    /** The clones of one owner, by the owner id in their names. */
    List<String> databasesOf(String owner) throws SQLException {
        return databases().stream()
                .filter(name -> name.contains("_" + owner + "_"))
                .toList();
    }

    /** Whether the owner's lock is held now. */
    boolean ownerLockHeld(String owner) throws SQLException {
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2"
                                + " AND classid::bigint = " + OwnerSession.OWNERS + " AND objid::bigint = ?")) {
            statement.setLong(1, Long.parseLong(owner, 16));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1) > 0;
            }
        }
    }

    /** Drops a template behind the pools' backs, as the README's clean-up SQL or another tool would. */
    void dropTemplate(String template) throws SQLException {
        execute("ALTER DATABASE " + template + " WITH IS_TEMPLATE false");
        execute("DROP DATABASE " + template + " WITH (FORCE)");
    }

    /** Terminates the sessions whose application name starts with the prefix; how many there were. */
    int terminate(String applicationPrefix) throws SQLException {
        try (Connection connection = connect();
                PreparedStatement statement =
                        connection.prepareStatement("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                                + " WHERE starts_with(application_name, ?) AND pid <> pg_backend_pid()")) {
            statement.setString(1, applicationPrefix);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    /** Terminates the session holding an owner's lock: a DBA's or a network's doing, not a crash. */
    int terminateOwnerSession(String owner) throws SQLException {
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory'"
                                + " AND granted AND objsubid = 2 AND classid::bigint = " + OwnerSession.OWNERS
                                + " AND objid::bigint = ?")) {
            statement.setLong(1, Long.parseLong(owner, 16));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    /** Terminates the sessions connected to databases whose name starts with the prefix; how many there were. */
    int terminateConnectedTo(String databasePrefix) throws SQLException {
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE starts_with(datname, ?)")) {
            statement.setString(1, databasePrefix);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    List<String> strings(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    /** Waits in a test for a condition that the pool's own threads or another process make true. */
    static void await(Duration timeout, String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Gave up after " + timeout + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
