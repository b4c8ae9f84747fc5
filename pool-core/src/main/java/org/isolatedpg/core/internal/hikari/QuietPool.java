package org.isolatedpg.core.internal.hikari;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.isolatedpg.core.internal.sql.ConnectionSource;

/**
 * A HikariCP pool as a {@link DataSource}, started and closed without a word at INFO.
 *
 * <p>Why not {@code HikariDataSource}: it logs "Starting…", "Start completed.", "Shutdown initiated…" and "Shutdown
 * completed." at INFO, and its pool logs "Added connection" at INFO when it fills itself on start. With a pool per
 * test that is thousands of lines a run at a default log level. The pool itself ({@link HikariPool}, public and the
 * same in HikariCP 5 to 7) logs its start and stop at DEBUG only; this class is the thin {@code DataSource} face
 * {@code HikariDataSource} would have been, and {@code initializationFailTimeout = -1} keeps the pool from opening
 * (and announcing) a connection in its constructor: {@link ConnectionPools} opens the warm one itself.
 */
final class QuietPool extends ConnectionSource {

    private final HikariPool pool;
    private final String name;
    private volatile boolean closed;

    QuietPool(HikariConfig config) {
        config.setInitializationFailTimeout(-1);
        config.validate();
        this.pool = new HikariPool(config);
        this.name = config.getPoolName();
    }

    HikariPool pool() {
        return pool;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (closed) {
            throw new SQLException(name + " is closed");
        }
        return pool.getConnection();
    }

    /** Closes the pool; connections still borrowed are aborted. */
    void close() {
        closed = true;
        try {
            pool.shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
