package org.isolatedpg.core.internal.hikari;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.pool.HikariPool;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

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
final class QuietPool implements DataSource {

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

    /** Not supported, as in HikariCP: the pool's connections all log in as one role. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("getConnection(username, password) is not supported by " + name);
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
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        throw new SQLFeatureNotSupportedException("setLogWriter");
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        throw new SQLFeatureNotSupportedException("setLoginTimeout");
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("getParentLogger");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException(name + " does not wrap a " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }

    @Override
    public String toString() {
        return name;
    }
}
