package org.isolatedpg.core.internal.hikari;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import javax.sql.DataSource;
import org.isolatedpg.core.internal.pool.DaemonThreads;
import org.isolatedpg.core.internal.server.Server;

/**
 * HikariCP pools on a server's databases: one small admin pool for DDL, and one pool per clone for the test that
 * leases it. The only class that sees HikariCP. All pools share one housekeeping thread instead of one each.
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
        return new HikariDataSource(config);
    }

    /**
     * A pool on a clone, connecting as {@code username}; a warm one has one connection already open, so the test's
     * first getConnection() starts no backend.
     */
    public DataSource open(String database, String username, String password, int maximumPoolSize, boolean warm) {
        HikariConfig config = config(database, "isolatedpg-" + database, maximumPoolSize);
        config.setUsername(username);
        config.setPassword(password);
        config.setMinimumIdle(warm ? 1 : 0);
        return new HikariDataSource(config);
    }

    /** Connections borrowed from the pool and not yet given back. */
    public static int activeConnections(DataSource dataSource) {
        HikariDataSource hikari = (HikariDataSource) dataSource;
        return hikari.isClosed() ? 0 : hikari.getHikariPoolMXBean().getActiveConnections();
    }

    /** Closes the pool's idle connections, so that the next borrower gets a new one. */
    public static void evictIdle(DataSource dataSource) {
        HikariDataSource hikari = (HikariDataSource) dataSource;
        if (!hikari.isClosed()) {
            hikari.getHikariPoolMXBean().softEvictConnections();
        }
    }

    /** Closes the pool; connections still borrowed are aborted. */
    public static void close(DataSource dataSource) {
        ((HikariDataSource) dataSource).close();
    }

    private HikariConfig config(String database, String poolName, int maximumPoolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(server.jdbcUrl(database));
        config.setUsername(server.user());
        config.setPassword(server.password());
        config.setPoolName(poolName);
        config.setMaximumPoolSize(maximumPoolSize);
        config.setMinimumIdle(1);
        config.setScheduledExecutor(housekeeping);
        config.addDataSourceProperty("ApplicationName", APPLICATION_NAME);
        // Reaching and logging in to the server is bounded; a test's own queries are not ours to bound.
        config.addDataSourceProperty("connectTimeout", "10");
        config.addDataSourceProperty("loginTimeout", "10");
        return config;
    }

    @Override
    public void close() {
        housekeeping.shutdownNow();
    }
}
