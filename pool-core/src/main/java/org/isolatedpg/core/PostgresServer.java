package org.isolatedpg.core;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.isolatedpg.core.internal.hikari.ConnectionPools;
import org.isolatedpg.core.internal.server.Server;
import org.isolatedpg.core.internal.server.container.ContainerServer;
import org.isolatedpg.core.internal.server.embedded.EmbeddedServer;
import org.isolatedpg.core.internal.server.external.ExternalServer;
import org.isolatedpg.core.internal.sql.Databases;
import org.isolatedpg.core.internal.sql.Janitor;
import org.isolatedpg.core.internal.sql.OwnerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server that test databases are made on. {@link #start(ServerSettings)} starts an embedded server from
 * the PostgreSQL binaries on the classpath: no Docker, nothing installed. Close it at the end of the run: the
 * embedded server is stopped and its data directory removed.
 *
 * <p>Intended for test-framework integrations and for tests that use pool-core directly. Thread-safe.
 *
 * @since 0.1
 */
public final class PostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);

    private final Server server;
    private final ConnectionPools connectionPools;
    private static final String ADMIN_APPLICATION = "isolatedpg-admin-";

    private DataSource admin;
    private final Databases databases;
    private final int majorVersion;
    private final OwnerSession session;

    private final AtomicLong databaseNumbers = new AtomicLong();
    private final Map<String, ReentrantLock> buildLocks = new ConcurrentHashMap<>();

    /**
     * The owner lock comes first: a session named after this owner (the admin pool's) must never exist while the
     * owner looks dead, or a janitor elsewhere would take it for a dead JVM's.
     */
    private PostgresServer(Server server) {
        this.server = server;
        try {
            this.session = OwnerSession.open(server);
        } catch (SQLException e) {
            throw new IsolatedPostgresException("Could not open a session on " + server.description(), e);
        }
        this.connectionPools = new ConnectionPools(server);
        try {
            this.admin = connectionPools.openAdmin(4, ADMIN_APPLICATION + session.owner());
            this.majorVersion = queryMajorVersion(admin);
        } catch (RuntimeException e) {
            if (admin != null) {
                ConnectionPools.close(admin);
            }
            connectionPools.close();
            session.close();
            throw e;
        }
        this.databases = new Databases(admin, majorVersion);
    }

    /** Drops what dead JVMs left and collects old templates; a failure here is worth a warning, not a failed run. */
    private void sweep(ServerSettings settings) {
        try {
            Janitor.sweep(
                    databases,
                    session,
                    ADMIN_APPLICATION,
                    settings.templateRetention().value(),
                    server.description());
        } catch (SQLException | RuntimeException e) {
            LOG.warn("isolatedpg - could not clean up after earlier runs on {}", server.description(), e);
        }
    }

    /**
     * Starts (or attaches to) the server the settings name: the embedded one, an external one, or a container. On
     * start, databases left by JVMs that died are dropped, and templates unused for longer than
     * {@value ConfigKeys#TEMPLATE_RETENTION} are collected.
     */
    public static PostgresServer start(ServerSettings settings) {
        Server server = switch (settings.mode().value()) {
            case EMBEDDED -> EmbeddedServer.start(settings);
            case EXTERNAL -> ExternalServer.connect(settings);
            case CONTAINER -> startContainer(settings);
        };
        PostgresServer started;
        try {
            started = new PostgresServer(server);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        started.sweep(settings);
        return started;
    }

    private static Server startContainer(ServerSettings settings) {
        try {
            Class.forName(
                    "org.testcontainers.postgresql.PostgreSQLContainer", false, PostgresServer.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IsolatedPostgresException(
                    "'" + ConfigKeys.SERVER_MODE + "' = container (from "
                            + settings.mode().source() + ") needs Testcontainers: add"
                            + " org.testcontainers:testcontainers-postgresql to the test dependencies.",
                    e);
        }
        return ContainerServer.start(settings);
    }

    /** {@code "embedded PostgreSQL 18.6 on 127.0.0.1:54012"}; never contains a password. */
    public String description() {
        return server.description();
    }

    /** The server's major version, such as 18. */
    public int majorVersion() {
        return majorVersion;
    }

    /** A JDBC URL of a database on this server, without credentials. */
    public String jdbcUrl(String database) {
        return server.jdbcUrl(database);
    }

    Server server() {
        return server;
    }

    Databases databases() {
        return databases;
    }

    ConnectionPools connectionPools() {
        return connectionPools;
    }

    /**
     * This attachment's identity on the server: 8 hex digits, carried in the names of the databases it creates, so
     * that what a dead JVM left can be told apart.
     */
    public String owner() {
        return session.owner();
    }

    OwnerSession session() {
        return session;
    }

    /** A number no other database this attachment names has used. */
    long nextDatabaseNumber() {
        return databaseNumbers.incrementAndGet();
    }

    /** The lock that lets one pool at a time build or look for the template of a fingerprint. */
    ReentrantLock buildLock(String fingerprint) {
        return buildLocks.computeIfAbsent(fingerprint, key -> new ReentrantLock());
    }

    /** Stops the embedded server and removes its data directory. Close the pools on it first. */
    @Override
    public void close() {
        try {
            session.close();
            ConnectionPools.close(admin);
            connectionPools.close();
        } finally {
            server.close();
        }
    }

    @Override
    public String toString() {
        return "PostgresServer[" + description() + "]";
    }

    private static int queryMajorVersion(DataSource admin) {
        try (Connection connection = admin.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT current_setting('server_version_num')::int / 10000")) {
            rows.next();
            return rows.getInt(1);
        } catch (SQLException e) {
            throw new IsolatedPostgresException("Could not read the server's version", e);
        }
    }
}
