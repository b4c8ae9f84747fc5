package org.isolatedpg.core.internal.source;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The database a template is being built in, as the sources reach it: its JDBC URL, the admin role's credentials and
 * the class loader that reads {@code classpath:} locations. {@link #toString()} never shows the password.
 */
public record BuildTarget(String jdbcUrl, String user, String password, ClassLoader loader) {

    /** A new connection to the build database, as the admin role; the caller closes it. */
    public Connection connect() throws SQLException {
        Properties login = new Properties();
        login.setProperty("user", user);
        if (!password.isEmpty()) {
            login.setProperty("password", password);
        }
        login.setProperty("ApplicationName", "isolatedpg-builder");
        login.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(jdbcUrl, login);
    }

    @Override
    public String toString() {
        return "BuildTarget[" + jdbcUrl + " as " + user + "]";
    }
}
