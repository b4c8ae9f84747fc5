package org.isolatedpg.core.internal.initializer;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.isolatedpg.core.internal.source.BuildTarget;

/**
 * The build database as a {@link DataSource} for an initializer: each {@link #getConnection()} opens a new
 * connection (no pool: an initializer runs once). It remembers them: one left open would keep the template from being
 * renamed, and the build would fail as if the server had (55006), again on every test.
 */
final class BuildDataSource implements DataSource {

    private final BuildTarget target;
    private final List<Connection> handedOut = new ArrayList<>();
    private volatile int loginTimeout;

    BuildDataSource(BuildTarget target) {
        this.target = target;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection connection = target.connect();
        synchronized (handedOut) {
            handedOut.add(connection);
        }
        return connection;
    }

    /** Closes the connections the initializer left open; returns how many there were. */
    int closeLeftOpen() {
        int open = 0;
        synchronized (handedOut) {
            for (Connection connection : handedOut) {
                try {
                    if (!connection.isClosed()) {
                        open++;
                        connection.close();
                    }
                } catch (SQLException e) {
                    open++; // it was open; closing failing leaves it to the build's DROP ... WITH (FORCE)
                }
            }
            handedOut.clear();
        }
        return open;
    }

    /** The build database has one role, the admin's: other credentials cannot be honoured, so they are refused. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("The template build's DataSource connects as the admin role only");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // logging goes through SLF4J
    }

    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("No java.util.logging here");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("Not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }

    @Override
    public String toString() {
        return "BuildDataSource[" + target + "]";
    }
}
