package org.isolatedpg.core;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.isolatedpg.core.internal.source.BuildTarget;

/**
 * Scratch databases ({@code ipgtest_…}) on a server, as build targets for the tests of a template source outside this
 * package: on the embedded server, or on the machine's PostgreSQL on 127.0.0.1:5432 (trust authentication). Closing
 * drops them all (and detaches from the embedded server).
 */
public final class ScratchDatabases implements AutoCloseable {

    private static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/";

    private final PostgresServer server;
    private final String user;
    private final String password;
    private final Map<BuildTarget, String> created = new LinkedHashMap<>();

    private ScratchDatabases(PostgresServer server, String user, String password) {
        this.server = server;
        this.user = user;
        this.password = password;
    }

    /** On the embedded PostgreSQL 18 server (started, or attached to), as its admin role. */
    public static ScratchDatabases onEmbeddedServer() {
        PostgresServer server = PostgresServer.start(Configuration.fromSystem().serverSettings());
        return new ScratchDatabases(
                server,
                server.attachment().server().user(),
                server.attachment().server().password());
    }

    /** On the machine's PostgreSQL on 127.0.0.1:5432, as {@code postgres}; see {@link #localServerAnswers()}. */
    public static ScratchDatabases onLocalServer() {
        return new ScratchDatabases(null, "postgres", "");
    }

    /** Whether something answers on 127.0.0.1:5432. */
    public static boolean localServerAnswers() {
        return RolesOnExternalServerTests.answers();
    }

    /** A new empty database, as the target a template is built in. */
    public synchronized BuildTarget create(ClassLoader loader) throws SQLException {
        String name = "ipgtest_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8'");
        BuildTarget target = new BuildTarget(url(name), user, password, loader);
        created.put(target, name);
        return target;
    }

    /** Drops a database {@link #create} made, before the end (to drop a role that has privileges in it). */
    public synchronized void drop(BuildTarget target) throws SQLException {
        String name = created.remove(target);
        if (name != null) {
            execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    /** The admin role's name. */
    public String user() {
        return user;
    }

    /** Runs a statement in the {@code postgres} database (for roles, which are the server's). */
    public void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url("postgres"), user, password);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public synchronized void close() throws SQLException {
        try {
            for (BuildTarget target : List.copyOf(created.keySet())) {
                drop(target);
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private String url(String database) {
        return server != null ? server.jdbcUrl(database) : LOCAL_URL + database;
    }
}
