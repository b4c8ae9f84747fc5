package org.isolatedpg.core.internal.pool;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The {@code DataSource} one test gets: its clone's connection pool until the test gives the clone back, and nothing
 * after. A clone its test left untouched goes on to the next test with the same pool, so a test that kept its
 * {@code DataSource} (in a static field, say) must not reach the next test's database through it.
 */
final class LeaseDataSource implements DataSource {

    private final DataSource pool;
    private final String database;
    private volatile boolean released;

    LeaseDataSource(DataSource pool, String database) {
        this.pool = pool;
        this.database = database;
    }

    void release() {
        released = true;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (released) {
            throw new SQLException("The test database " + database + " was given back when its test ended; a"
                    + " DataSource kept past its test cannot be used. Take the DataSource of the test that runs.");
        }
        return pool.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException(
                "getConnection(username, password) is not supported: a test's DataSource logs in as its own role");
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
        throw new SQLException("The DataSource of " + database + " does not wrap a " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }

    @Override
    public String toString() {
        return "DataSource[" + database + "]";
    }
}
