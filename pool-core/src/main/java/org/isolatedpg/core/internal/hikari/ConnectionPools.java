package org.isolatedpg.core.internal.hikari;

import com.zaxxer.hikari.HikariConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import javax.sql.DataSource;
import org.isolatedpg.core.internal.pool.DaemonThreads;
import org.isolatedpg.core.internal.server.Server;

/**
 * HikariCP pools on a server's databases: one small admin pool for DDL, and one pool per clone for the test that
 * leases it. The only class that sees HikariCP. All pools share one housekeeping thread instead of one each, and all
 * start and stop quietly (see {@link QuietPool}).
 */
public final class ConnectionPools implements AutoCloseable {

    /** The {@code application_name} of our connections, which tells them apart from those a test opened itself. */
    public static final String APPLICATION_NAME = "isolatedpg";

    private final Server server;
    private final ScheduledThreadPoolExecutor housekeeping;

    public ConnectionPools(Server server) {
        this.server = server;
        this.housekeeping = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("isolatedpg-hikari-housekeeping"));
        this.housekeeping.setRemoveOnCancelPolicy(true);
    }

    /** An autocommit pool on the maintenance database, for CREATE and DROP DATABASE (which refuse transactions). */
    public DataSource openAdmin(int maximumPoolSize, String applicationName) {
        HikariConfig config = config(server.maintenanceDatabase(), "isolatedpg-admin", maximumPoolSize);
        // Names the owner, so a janitor can stop what a dead JVM's admin sessions were still doing.
        config.addDataSourceProperty("ApplicationName", applicationName);
        // DDL on a template waits for clones in flight and the other way round: never wait forever. Cloning a big
        // template takes long, but a server that stops answering altogether is given up on after ten minutes.
        config.setConnectionInitSql("SET lock_timeout = '60s'");
        config.addDataSourceProperty("socketTimeout", "600");
        config.setMinimumIdle(1);
        return new QuietPool(config);
    }

    /**
     * A pool on a clone, connecting as {@code username}; a warm one has one connection already open, so the test's
     * first getConnection() starts no backend.
     *
     * @throws SQLException when the warm connection cannot be opened; the pool is closed then
     */
    public DataSource open(String database, String username, String password, int maximumPoolSize, boolean warm)
            throws SQLException {
        HikariConfig config = config(database, "isolatedpg-" + database, maximumPoolSize);
        config.setUsername(username);
        config.setPassword(password);
        // No connection is kept open for nothing: the warm one stays because nobody closes it, and a pool that lives
        // for one test never needs its housekeeper to top it up.
        config.setMinimumIdle(0);
        QuietPool pool = new QuietPool(config);
        if (warm) {
            try {
                pool.getConnection().close(); // opened here, on the caller's thread; returned idle, it stays
            } catch (SQLException | RuntimeException e) {
                pool.close();
                throw e;
            }
        }
        return pool;
    }

    /** Connections borrowed from the pool and not yet given back. */
    public static int activeConnections(DataSource dataSource) {
        QuietPool pool = (QuietPool) dataSource;
        return pool.isClosed() ? 0 : pool.pool().getActiveConnections();
    }

    /** Closes the pool's idle connections, so that the next borrower gets a new one. */
    public static void evictIdle(DataSource dataSource) {
        QuietPool pool = (QuietPool) dataSource;
        if (!pool.isClosed()) {
            pool.pool().softEvictConnections();
        }
    }

    /**
     * Borrows every connection the pool holds, none of them borrowed by anyone else; empty when one is (the caller
     * then cannot vouch for the pool's sessions). Give them back with {@link Connection#close()}, or
     * {@link #evict(DataSource, Connection)}.
     */
    public static List<Connection> borrowAll(DataSource dataSource) throws SQLException {
        QuietPool pool = (QuietPool) dataSource;
        List<Connection> connections = new ArrayList<>();
        if (pool.isClosed() || pool.pool().getActiveConnections() > 0) {
            return connections;
        }
        int total = pool.pool().getTotalConnections();
        try {
            for (int i = 0; i < total; i++) {
                connections.add(pool.pool().getConnection(1_000));
            }
        } catch (SQLException | RuntimeException e) {
            for (Connection connection : connections) {
                connection.close();
            }
            throw e;
        }
        return connections;
    }

    /** Closes a borrowed connection for good, rather than giving it back. */
    public static void evict(DataSource dataSource, Connection connection) {
        ((QuietPool) dataSource).pool().evictConnection(connection);
    }

    /** Closes the pool; connections still borrowed are aborted. */
    public static void close(DataSource dataSource) {
        ((QuietPool) dataSource).close();
    }

    private HikariConfig config(String database, String poolName, int maximumPoolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(server.jdbcUrl(database));
        config.setUsername(server.user());
        config.setPassword(server.password());
        config.setPoolName(poolName);
        config.setMaximumPoolSize(maximumPoolSize);
        config.setScheduledExecutor(housekeeping);
        config.addDataSourceProperty("ApplicationName", APPLICATION_NAME);
        // Reaching and logging in to the server is bounded; a test's own queries are not ours to bound.
        config.addDataSourceProperty("connectTimeout", "10");
        config.addDataSourceProperty("loginTimeout", "10");
        // Sends application_name and extra_float_digits in the start-up packet rather than as two SETs after it: a
        // first connection is one round trip shorter. Every server we run on is newer (PostgreSQL 10 or later).
        config.addDataSourceProperty("assumeMinServerVersion", "10");
        return config;
    }

    @Override
    public void close() {
        housekeeping.shutdownNow();
    }
}
