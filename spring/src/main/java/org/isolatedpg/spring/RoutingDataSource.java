package org.isolatedpg.spring;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The application context's one {@code DataSource}: each call goes to the database of the test running on the
 * calling thread (see {@link ContextDatabases#current()}).
 */
final class RoutingDataSource implements DataSource {

    private final ContextDatabases databases;

    RoutingDataSource(ContextDatabases databases) {
        this.databases = databases;
    }

    private DataSource target() {
        return databases.current().dataSource();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return target().getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return target().getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target().getLogWriter();
    }

    /** Ignored: each test's pool is isolated-postgres' own, with its own settings; libraries may still call it. */
    @Override
    public void setLogWriter(PrintWriter out) {}

    /** Ignored, as {@link #setLogWriter}: the login timeout is isolated-postgres' own. */
    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() throws SQLException {
        return target().getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("java.util.logging is not used");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        return target().unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || target().isWrapperFor(type);
    }

    @Override
    public String toString() {
        return "isolated-postgres DataSource routing to the running test's database";
    }
}
